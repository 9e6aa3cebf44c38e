import type { NodeRun, NodeRunStatus } from '../api/types';

export interface GanttBar {
  readonly id: string;
  readonly label: string;
  readonly status: NodeRunStatus;
  /** Fractions of the whole span, 0..1. */
  readonly start: number;
  readonly width: number;
  readonly durationMs: number | null;
}

export interface Gantt {
  readonly bars: readonly GanttBar[];
  readonly spanMs: number;
  readonly startedAt: number | null;
}

/**
 * The execution's timeline: one bar per attempt that started, placed on the span from the first
 * start to the last end (or `now` for what still runs). Bars of instant steps get a visible minimum.
 */
export function buildGantt(runs: readonly NodeRun[], now: number, minWidth = 0.004): Gantt {
  const started = runs.filter((r) => r.started_at);
  if (started.length === 0) return { bars: [], spanMs: 0, startedAt: null };
  const t0 = Math.min(...started.map((r) => Date.parse(r.started_at!)));
  const end = (r: NodeRun) => (r.finished_at ? Date.parse(r.finished_at) : now);
  const t1 = Math.max(...started.map(end), t0 + 1);
  const span = t1 - t0;
  const bars = [...started]
    .sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!) || (a.id < b.id ? -1 : 1))
    .map((r) => {
      const s = (Date.parse(r.started_at!) - t0) / span;
      const w = Math.max((end(r) - Date.parse(r.started_at!)) / span, minWidth);
      const scope = r.scope && r.scope !== '' && r.scope !== 'root' ? ` ${r.scope}` : '';
      return {
        id: r.id, label: `${r.node_id}${scope}${r.attempt > 1 ? ` #${r.attempt}` : ''}`, status: r.status,
        start: Math.min(s, 1 - minWidth), width: Math.min(w, 1 - Math.min(s, 1 - minWidth)), durationMs: r.duration_ms,
      };
    });
  return { bars, spanMs: span, startedAt: t0 };
}
