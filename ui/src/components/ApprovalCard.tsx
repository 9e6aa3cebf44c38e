import { useId, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/client';
import { approvals } from '../api/endpoints';
import type { Approval } from '../api/types';
import { formatTime } from './format';
import { toast } from './toast-store';

/** One waiting approval: what is asked, what approving will do, and the answer with a comment. */
export function ApprovalCard({ approval: a, onAnswered, workflowName }: { approval: Approval; onAnswered: () => void; workflowName?: string }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const commentId = useId();
  const answer = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      await approvals.answer(a.run_id, decision, comment);
      toast(decision === 'approve' ? 'Approved' : 'Rejected', 'success');
      onAnswered();
    } catch (err) {
      toast(errorMessage(err), 'error');
      setBusy(false);
    }
  };
  return (
    <article className="card approval-card" aria-label={`Approval for ${a.node_id}`}>
      <h3>{a.message}</h3>
      <p className="muted small">
        {workflowName ?? a.workflow_id} · node <code>{a.node_id}</code>{a.scope ? ` (${a.scope})` : ''} · execution <Link to={`/executions/${a.execution_id}`}>{a.execution_id}</Link>
      </p>
      <p className="small">Requested {formatTime(a.requested_at)}{a.expires_at ? ` · times out ${formatTime(a.expires_at)}` : ''}</p>
      {a.approvers.length > 0 ? <p className="small">Approvers: {a.approvers.join(', ')}</p> : null}
      {a.plan.length > 0 ? (
        <>
          <h4>Approving will</h4>
          <ul className="plan">{a.plan.map((p, i) => <li key={i}>{p}</li>)}</ul>
        </>
      ) : null}
      {a.can_answer ? (
        <div className="approval-answer">
          <label htmlFor={commentId} className="expr-label">Comment (optional)</label>
          <input id={commentId} className="form-control" value={comment} onChange={(e) => setComment(e.target.value)} />
          <div className="row-actions">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void answer('approve')}>Approve</button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void answer('reject')}>Reject</button>
          </div>
        </div>
      ) : <p className="muted small">You are not one of the approvers.</p>}
    </article>
  );
}
