import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/client';
import { executions, workflows } from '../../api/endpoints';
import type { Execution } from '../../api/types';
import { toast } from '../toast-store';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** Cancel, pause, resume, retry from the failed step and re-run, offered only when the execution's status allows them. */
export function ExecutionControls({ execution: x, onChanged, canOperate }: { execution: Execution; onChanged: () => void; canOperate: boolean }) {
  const navigate = useNavigate();
  if (!canOperate) return null;
  const control = async (action: 'cancel' | 'pause' | 'resume') => {
    try {
      await executions.control(x.id, action);
      toast(`Execution ${action === 'cancel' ? 'cancelled' : action === 'pause' ? 'paused' : 'resumed'}`, 'success');
      onChanged();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const rerun = async () => {
    try {
      // Secret variables come back redacted: leave them out so the run uses their defaults.
      const variables = Object.fromEntries(Object.entries(x.variables).filter(([, v]) => v !== '[redacted]'));
      const next = await workflows.execute(x.workflow_id, { input_data: x.input_data ?? {}, variables, ...(x.mode === 'test' ? { mode: 'test' as const } : {}) });
      toast(`Started ${next.id}`, 'success');
      void navigate(`/executions/${next.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const retry = async () => {
    try {
      const next = await executions.retry(x.id, 'failed');
      toast(`Retrying as ${next.id}`, 'success');
      void navigate(`/executions/${next.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const final = FINAL.has(x.status);
  return (
    <div className="row-actions">
      {!final ? <button type="button" className="btn btn-danger btn-small" onClick={() => void control('cancel')}>Cancel</button> : null}
      {!final && x.status !== 'paused' ? <button type="button" className="btn btn-small" onClick={() => void control('pause')}>Pause</button> : null}
      {x.status === 'paused' ? <button type="button" className="btn btn-small" onClick={() => void control('resume')}>Resume</button> : null}
      {x.status === 'failed' ? <button type="button" className="btn btn-primary btn-small" onClick={() => void retry()}>Retry from failed step</button> : null}
      <button type="button" className="btn btn-small" onClick={() => void rerun()}>Re-run</button>
    </div>
  );
}
