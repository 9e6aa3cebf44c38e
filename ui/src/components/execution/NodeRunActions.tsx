import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { executions } from '../../api/endpoints';
import type { Execution, NodeRun } from '../../api/types';
import { shortId } from '../format';
import { toast } from '../toast-store';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Above a node's runs: the child execution a run_workflow step started, whether a retry kept this
 * step from the execution it retries, and (for an operator, once the execution finished) "Retry from here".
 */
export function NodeRunActions({ execution: x, nodeId, runs, canOperate }: { execution: Execution; nodeId: string; runs: readonly NodeRun[]; canOperate: boolean }) {
  const navigate = useNavigate();
  const latest = runs.at(-1);
  const child = [...runs].reverse().find((r) => r.child_execution_id)?.child_execution_id;
  const reused = latest?.reused_from;
  const retry = async () => {
    try {
      const next = await executions.retry(x.id, nodeId);
      toast(`Retrying from ${nodeId} as ${next.id}`, 'success');
      void navigate(`/executions/${next.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  if (!child && !reused && !(canOperate && FINAL.has(x.status))) return null;
  return (
    <div className="node-run-actions">
      {child ? <p><Link to={`/executions/${child}`} title={child}>Open child execution <code>{shortId(child)}</code></Link></p> : null}
      {reused ? (
        <p className="muted small">Kept from <Link to={`/executions/${reused.execution_id}`} title={reused.execution_id}><code>{shortId(reused.execution_id)}</code></Link> by the retry: not run again.</p>
      ) : null}
      {canOperate && FINAL.has(x.status) ? <button type="button" className="btn btn-small" onClick={() => void retry()}>Retry from here</button> : null}
    </div>
  );
}
