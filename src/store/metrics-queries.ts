import type { Kysely } from 'kysely';
import { sketchQuantile } from './dd-sketch.js';
import type { SketchBucket } from './dd-sketch.js';
import type { Database } from './schema.js';

export interface DurationStats {
  readonly avg: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface WorkflowMetrics {
  readonly total_executions: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** completed / finished (completed + failed + cancelled), 0..1; null before any finished run. */
  readonly success_rate: number | null;
  readonly duration_ms: DurationStats;
  readonly nodes: ReadonlyArray<{ node_id: string; executions: number; failures: number; avg_duration_ms: number | null }>;
}

const UNFINISHED = ['pending', 'running', 'waiting', 'paused'];

/**
 * Metrics read from the rollups the engine's commits keep (execution-rollups.ts), plus the few
 * unfinished executions counted live: the cost follows the number of hours and nodes, not of
 * executions. Durations: avg, min and max are exact; p95 and p99 come from a DDSketch and are within
 * 1% of the nearest-rank percentile (exact below 50 ms), the same on both dialects.
 */
export class MetricsQueries {
  /** `settle`: Store.settleEffects — the rollups read here lag the commits until it resolves. */
  constructor(private readonly db: Kysely<Database>, private readonly settle: () => Promise<void>) {}

  async workflow(workflowId: string): Promise<WorkflowMetrics> {
    await this.settle();
    const finished = await this.db
      .selectFrom('execution_rollups')
      .select((eb) => [
        'status',
        eb.fn.sum<number | string>('executions').as('n'),
        eb.fn.sum<number | string>('duration_count').as('dn'),
        eb.fn.sum<number | string>('duration_sum').as('ds'),
        eb.fn.min<number | string | null>('duration_min').as('dmin'),
        eb.fn.max<number | string | null>('duration_max').as('dmax'),
      ])
      .where('workflow_id', '=', workflowId)
      .groupBy('status')
      .execute();
    // Only the status predicate, so the planner walks executions_status_id_idx (unfinished rows are
    // few); with the workflow's too, SQLite without statistics walks all of the workflow's history.
    const open = (await openCounts(this.db)).filter((r) => r.workflow_id === workflowId);
    const count = new Map<string, number>([...finished, ...open].map((r) => [r.status, Number(r.n)]));
    const total = [...count.values()].reduce((a, b) => a + b, 0);
    const completed = count.get('completed') ?? 0;
    const failed = count.get('failed') ?? 0;
    const cancelled = count.get('cancelled') ?? 0;
    const done = completed + failed + cancelled;
    const sketch = await this.db
      .selectFrom('duration_sketches')
      .select((eb) => ['idx', eb.fn.sum<number | string>('n').as('n')])
      .where('workflow_id', '=', workflowId)
      .groupBy('idx')
      .orderBy('idx')
      .execute();
    const nodes = await this.db
      .selectFrom('node_rollups')
      .select((eb) => [
        'node_id',
        eb.fn.sum<number | string>('runs').as('runs'),
        eb.fn.sum<number | string>('failures').as('failures'),
        eb.fn.sum<number | string>('duration_count').as('dn'),
        eb.fn.sum<number | string>('duration_sum').as('ds'),
      ])
      .where('workflow_id', '=', workflowId)
      .groupBy('node_id')
      .orderBy('node_id')
      .execute();
    return {
      total_executions: total,
      completed,
      failed,
      cancelled,
      success_rate: done === 0 ? null : completed / done,
      duration_ms: durationStats(finished, sketch.map((b) => ({ index: Number(b.idx), count: Number(b.n) }))),
      nodes: nodes.map((n) => ({
        node_id: n.node_id,
        executions: Number(n.runs),
        failures: Number(n.failures),
        avg_duration_ms: Number(n.dn) === 0 ? null : Number(n.ds) / Number(n.dn),
      })),
    };
  }

  async totalExecutions(): Promise<number> {
    await this.settle();
    let n = 0;
    for (const v of (await executionCountsByStatus(this.db)).values()) n += v;
    return n;
  }
}

/**
 * Executions per status: finished ones from the rollups, the rest counted live (few, indexed by
 * status). Callers settle the effects journal first: an execution finished but not yet rolled up
 * would be in neither.
 */
export async function executionCountsByStatus(db: Kysely<Database>): Promise<Map<string, number>> {
  const finished = await db
    .selectFrom('execution_rollups')
    .select((eb) => ['status', eb.fn.sum<number | string>('executions').as('n')])
    .groupBy('status')
    .execute();
  const counts = new Map(finished.map((r) => [r.status, Number(r.n)]));
  for (const r of await openCounts(db)) counts.set(r.status, (counts.get(r.status) ?? 0) + Number(r.n));
  return counts;
}

/** Unfinished executions per workflow and status, through the status index. */
function openCounts(db: Kysely<Database>): Promise<Array<{ workflow_id: string; status: string; n: number | string }>> {
  return db
    .selectFrom('executions')
    .select((eb) => ['workflow_id', 'status', eb.fn.countAll<number | string>().as('n')])
    .where('status', 'in', UNFINISHED)
    .groupBy(['status', 'workflow_id'])
    .execute();
}

interface StatusDurations {
  readonly dn: number | string;
  readonly ds: number | string;
  readonly dmin: number | string | null;
  readonly dmax: number | string | null;
}

function durationStats(rows: readonly StatusDurations[], sketch: readonly SketchBucket[]): DurationStats {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    count += Number(r.dn);
    sum += Number(r.ds);
    if (r.dmin !== null) min = Math.min(min, Number(r.dmin));
    if (r.dmax !== null) max = Math.max(max, Number(r.dmax));
  }
  if (count === 0) return { avg: null, min: null, max: null, p95: null, p99: null };
  return { avg: sum / count, min, max, p95: sketchQuantile(sketch, 95, min, max), p99: sketchQuantile(sketch, 99, min, max) };
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
