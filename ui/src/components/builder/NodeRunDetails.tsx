import type { NodeRun } from '../../api/types';
import { formatDuration, formatTime } from '../format';
import { JsonView } from '../JsonView';
import { StatusBadge } from '../StatusBadge';

/** What happened at one node in a run: every attempt (and loop iteration) with input, output, error and logs. */
export function NodeRunDetails({ nodeId, runs }: { nodeId: string; runs: readonly NodeRun[] }) {
  if (runs.length === 0) return <p className="muted small">Node <code>{nodeId}</code> has not run in this execution.</p>;
  return (
    <div className="node-runs">
      {runs.map((r, i) => (
        <details key={r.id} className="node-run" open={i === runs.length - 1}>
          <summary>
            <StatusBadge status={r.status} /> attempt {r.attempt}{r.scope ? ` · ${r.scope}` : ''} · {formatDuration(r.duration_ms)}
          </summary>
          <dl className="kv">
            <dt>Started</dt><dd>{formatTime(r.started_at)}</dd>
            <dt>Finished</dt><dd>{formatTime(r.finished_at)}</dd>
            {r.wake_at ? (<><dt>Wakes</dt><dd>{formatTime(r.wake_at)}</dd></>) : null}
          </dl>
          {r.error ? (
            <div className="banner banner-error" role="alert"><strong>{r.error.code}</strong>: {r.error.message}</div>
          ) : null}
          <h4>Input</h4>
          <JsonView value={r.input} label={`Input of ${nodeId}`} />
          <h4>Output</h4>
          <JsonView value={r.output} label={`Output of ${nodeId}`} />
          {r.logs.length > 0 ? (
            <>
              <h4>Logs</h4>
              <ol className="logs">
                {r.logs.map((l, j) => (
                  <li key={j} className={`log log-${l.level}`}><span className="muted">{new Date(l.ts).toLocaleTimeString()}</span> <strong>{l.level}</strong> {l.message}</li>
                ))}
              </ol>
            </>
          ) : null}
        </details>
      ))}
    </div>
  );
}
