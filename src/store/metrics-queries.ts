import type { Kysely } from 'kysely';
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

/**
 * Metrics computed from executions and node_executions on demand. Percentiles are taken in TypeScript
 * from the sorted durations (nearest rank), so both dialects give the same numbers.
 */
export class MetricsQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async workflow(workflowId: string): Promise<WorkflowMetrics> {
    const byStatus = await this.db
      .selectFrom('executions')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workflow_id', '=', workflowId)
      .groupBy('status')
      .execute();
    const count = new Map(byStatus.map((r) => [r.status, Number(r.n)]));
    const total = [...count.values()].reduce((a, b) => a + b, 0);
    const completed = count.get('completed') ?? 0;
    const failed = count.get('failed') ?? 0;
    const cancelled = count.get('cancelled') ?? 0;
    const finished = completed + failed + cancelled;
    const durations = await this.db
      .selectFrom('executions')
      .select('duration_ms')
      .where('workflow_id', '=', workflowId)
      .where('duration_ms', 'is not', null)
      .orderBy('duration_ms')
      .execute();
    const nodes = await this.db
      .selectFrom('node_executions as n')
      .innerJoin('executions as e', 'e.id', 'n.execution_id')
      .select((eb) => [
        'n.node_id',
        eb.fn.countAll<number>().as('executions'),
        eb.fn.sum<number>(eb.case().when('n.status', '=', 'failed').then(1).else(0).end()).as('failures'),
        eb.fn.avg<number>('n.duration_ms').as('avg_duration_ms'),
      ])
      .where('e.workflow_id', '=', workflowId)
      .groupBy('n.node_id')
      .orderBy('n.node_id')
      .execute();
    return {
      total_executions: total,
      completed,
      failed,
      cancelled,
      success_rate: finished === 0 ? null : completed / finished,
      duration_ms: stats(durations.map((d) => Number(d.duration_ms))),
      nodes: nodes.map((n) => ({
        node_id: n.node_id,
        executions: Number(n.executions),
        failures: Number(n.failures ?? 0),
        avg_duration_ms: n.avg_duration_ms === null ? null : Number(n.avg_duration_ms),
      })),
    };
  }

  async totalExecutions(): Promise<number> {
    const row = await this.db.selectFrom('executions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function stats(sorted: readonly number[]): DurationStats {
  if (sorted.length === 0) return { avg: null, min: null, max: null, p95: null, p99: null };
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { avg: sum / sorted.length, min: sorted[0]!, max: sorted[sorted.length - 1]!, p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
