import { Link } from 'react-router';
import { formatDuration } from '../format';
import { StatusBadge } from '../StatusBadge';
import type { FollowedRun } from './use-execution-follow';

/** The run being watched on the canvas: status, counts per node status, and the way to the full viewer. */
export function RunSummary({ run, onClear }: { run: FollowedRun; onClear: () => void }) {
  const counts = new Map<string, number>();
  for (const r of run.runs.values()) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const x = run.execution;
  return (
    <section className="run-summary" aria-label="Current run">
      <h2 className="panel-title">Run <code>{x.id}</code></h2>
      <p><StatusBadge status={x.status} /> {run.live ? <span className="muted small">live</span> : null} {formatDuration(x.duration_ms)}</p>
      <ul className="inline-list">
        {[...counts].map(([s, n]) => <li key={s}><StatusBadge status={s} /> {n}</li>)}
      </ul>
      {x.error ? <div className="banner banner-error" role="alert">{x.error.code}: {x.error.message}</div> : null}
      <p className="muted small">Select a node to see its input, output, error and logs.</p>
      <div className="row-actions">
        <Link className="btn btn-small" to={`/executions/${x.id}`}>Open in execution viewer</Link>
        <button type="button" className="btn btn-small" onClick={onClear}>Clear run colours</button>
      </div>
    </section>
  );
}
