import { buildGantt } from '../../canvas/gantt';
import type { NodeRun } from '../../api/types';
import { formatDuration } from '../format';

/** Node durations on one time axis: which steps ran when, how long each took, what overlapped. */
export function GanttChart({ runs, now, onSelect }: { runs: readonly NodeRun[]; now: number; onSelect?: (nodeId: string) => void }) {
  const g = buildGantt(runs, now);
  if (g.bars.length === 0) return <p className="muted small">No step has started yet.</p>;
  return (
    <div className="gantt" role="table" aria-label="Timeline of node durations">
      <div className="gantt-axis" role="row">
        <span role="columnheader">Node</span>
        <span role="columnheader" className="gantt-scale"><span>0</span><span>{formatDuration(g.spanMs / 2)}</span><span>{formatDuration(g.spanMs)}</span></span>
      </div>
      {g.bars.map((b) => {
        const nodeId = b.label.split(' ')[0]!;
        return (
          <div key={b.id} className="gantt-row" role="row">
            <span role="cell" className="gantt-label">
              {onSelect ? <button type="button" className="link-button" onClick={() => onSelect(nodeId)}>{b.label}</button> : b.label}
            </span>
            <span role="cell" className="gantt-track">
              <span
                className={`gantt-bar st-${b.status}`}
                style={{ left: `${b.start * 100}%`, width: `${b.width * 100}%` }}
                title={`${b.label}: ${b.status}, ${formatDuration(b.durationMs)}`}
              />
              <span className="sr-only">{b.status}, {formatDuration(b.durationMs)}</span>
            </span>
          </div>
        );
      })}
    </div>
  );
}
