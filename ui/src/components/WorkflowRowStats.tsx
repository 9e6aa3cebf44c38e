import { Link } from 'react-router';
import { workflows } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { formatPercent, formatTime } from './format';
import { StatusBadge } from './StatusBadge';

/** Last run and success rate of one workflow row, loaded after the list itself so the list shows at once. */
export function WorkflowRowStats({ workflowId, updatedAt }: { workflowId: string; updatedAt: string }) {
  const stats = useResource(() => Promise.all([workflows.executions(workflowId, 1), workflows.metrics(workflowId)]), [workflowId, updatedAt]);
  if (stats.error) return (<><td className="muted">—</td><td className="muted">—</td></>);
  const last = stats.data?.[0].items[0];
  const m = stats.data?.[1];
  return (
    <>
      <td>
        {!stats.data ? <span className="muted">…</span> : last ? (
          <Link to={`/executions/${last.id}`} className="last-run" aria-label={`Last run ${last.status}, ${formatTime(last.created_at)}`}>
            <StatusBadge status={last.status} /> <span className="muted small">{formatTime(last.created_at)}</span>
          </Link>
        ) : <span className="muted small">never run</span>}
      </td>
      <td>{m ? <span title={`${m.completed} completed, ${m.failed} failed of ${m.total_executions}`}>{formatPercent(m.success_rate)}</span> : <span className="muted">…</span>}</td>
    </>
  );
}
