import type { ExecutionSummary, WorkflowMetrics } from '../api/types';

export interface TimeBucket {
  readonly label: string;
  readonly start: number;
  readonly completed: number;
  readonly failed: number;
  readonly other: number;
}

/**
 * Executions per hour (spans under two days) or per day, oldest first, empty buckets included so
 * the chart's time axis is honest.
 */
export function executionsOverTime(xs: readonly ExecutionSummary[], now: number): TimeBucket[] {
  if (xs.length === 0) return [];
  const times = xs.map((x) => Date.parse(x.created_at));
  const first = Math.min(...times);
  const hourly = now - first < 2 * 86_400_000;
  const size = hourly ? 3_600_000 : 86_400_000;
  const floor = (t: number) => {
    const d = new Date(t);
    if (hourly) d.setMinutes(0, 0, 0);
    else d.setHours(0, 0, 0, 0);
    return d.getTime();
  };
  const start = floor(first);
  const count = Math.min(Math.floor((floor(now) - start) / size) + 1, 400);
  const buckets = Array.from({ length: count }, (_, i) => {
    const t = start + i * size;
    const d = new Date(t);
    return { label: hourly ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getMonth() + 1}/${d.getDate()}`, start: t, completed: 0, failed: 0, other: 0 };
  });
  xs.forEach((x, i) => {
    const b = buckets[Math.floor((floor(times[i]!) - start) / size)];
    if (!b) return;
    if (x.status === 'completed') b.completed++;
    else if (x.status === 'failed') b.failed++;
    else b.other++;
  });
  return buckets;
}

/** Nearest-rank percentile (the server's definition, docs/API.md), undefined for no data. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank - 1, 0), sorted.length - 1)];
}

export function durationPercentiles(xs: readonly ExecutionSummary[]): { p50?: number; p95?: number; p99?: number; count: number } {
  const d = xs.filter((x) => x.finished_at && x.duration_ms !== null).map((x) => x.duration_ms!).sort((a, b) => a - b);
  const r: { p50?: number; p95?: number; p99?: number; count: number } = { count: d.length };
  const p50 = percentile(d, 50);
  const p95 = percentile(d, 95);
  const p99 = percentile(d, 99);
  if (p50 !== undefined) r.p50 = p50;
  if (p95 !== undefined) r.p95 = p95;
  if (p99 !== undefined) r.p99 = p99;
  return r;
}

export interface NodeStat {
  readonly key: string;
  readonly workflow: string;
  readonly node_id: string;
  readonly executions: number;
  readonly failures: number;
  readonly avg_duration_ms: number;
}

/** Every workflow's per-node metrics as one list, then the slowest (by average) and the most failing. */
export function nodeRankings(perWorkflow: readonly { name: string; metrics: WorkflowMetrics }[], top = 8): { slowest: NodeStat[]; failing: NodeStat[] } {
  const all: NodeStat[] = perWorkflow.flatMap(({ name, metrics }) =>
    metrics.nodes.map((n) => ({ key: `${name} › ${n.node_id}`, workflow: name, node_id: n.node_id, executions: n.executions, failures: n.failures, avg_duration_ms: n.avg_duration_ms ?? 0 })));
  return {
    slowest: [...all].filter((n) => n.executions > 0).sort((a, b) => b.avg_duration_ms - a.avg_duration_ms).slice(0, top),
    failing: [...all].filter((n) => n.failures > 0).sort((a, b) => b.failures - a.failures || b.failures / b.executions - a.failures / a.executions).slice(0, top),
  };
}

/** completed ÷ finished, as the server computes it for one workflow. */
export function successRate(byStatus: Readonly<Record<string, number>>): number | null {
  const done = (byStatus['completed'] ?? 0) + (byStatus['failed'] ?? 0) + (byStatus['cancelled'] ?? 0);
  return done === 0 ? null : (byStatus['completed'] ?? 0) / done;
}
