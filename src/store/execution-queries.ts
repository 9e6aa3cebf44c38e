import type { Kysely } from 'kysely';
import type { ExecutionMode, ExecutionStatus } from '../engine/statuses.js';
import type { ErrorRecord } from '../model/errors.js';
import { executionCountsByStatus } from './metrics-queries.js';
import type { Database } from './schema.js';

/** An execution without its (possibly large) input, output and variables: a list row. */
export interface ExecutionSummary {
  readonly id: string;
  readonly workflow_id: string;
  readonly version: number;
  readonly status: ExecutionStatus;
  readonly mode: ExecutionMode;
  readonly trigger_type: string | null;
  readonly error: ErrorRecord | null;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly finished_at: number | null;
  readonly duration_ms: number | null;
}

export interface ExecutionFilter {
  readonly workflowId?: string;
  readonly status?: readonly ExecutionStatus[];
  /** created_at >= since (epoch ms). */
  readonly since?: number;
  /** created_at < until (epoch ms). */
  readonly until?: number;
  readonly limit: number;
  /** Id of the last item of the previous page: the list is newest first by id, which is creation order. */
  readonly cursor?: string;
}

/** An execution linked to another: a sub-workflow's child, or a retry. */
export interface LinkedExecution {
  readonly id: string;
  readonly workflow_id: string;
  readonly status: ExecutionStatus;
  /** For a child: the parent's node that started it. */
  readonly parent_node_id: string | null;
  readonly created_at: number;
}

/** Execution history across workflows, for the API. The engine's own reads live in its store. */
export class ExecutionQueries {
  /** `settle`: Store.settleEffects — the rollups read here lag the commits until it resolves. */
  constructor(private readonly db: Kysely<Database>, private readonly settle: () => Promise<void>) {}

  /** The children a `run_workflow` step of this execution started, and the retries of it, oldest first (at most 200 each). */
  async linked(executionId: string): Promise<{ children: LinkedExecution[]; retries: LinkedExecution[] }> {
    const q = (column: 'parent_execution_id' | 'retry_of') => this.db.selectFrom('executions')
      .select(['id', 'workflow_id', 'status', 'parent_node_id', 'created_at'])
      .where(column, '=', executionId).orderBy('id').limit(200).execute();
    const [children, retries] = await Promise.all([q('parent_execution_id'), q('retry_of')]);
    const shape = (r: (typeof children)[number]): LinkedExecution => ({ ...r, status: r.status as ExecutionStatus, created_at: Number(r.created_at) });
    return { children: children.map(shape), retries: retries.map(shape) };
  }

  async list(f: ExecutionFilter): Promise<{ items: ExecutionSummary[]; next_cursor: string | null }> {
    let q = this.db
      .selectFrom('executions')
      .select(['id', 'workflow_id', 'version', 'status', 'mode', 'trigger_type', 'error', 'created_at', 'started_at', 'finished_at', 'duration_ms']);
    if (f.workflowId !== undefined) q = q.where('workflow_id', '=', f.workflowId);
    if (f.status !== undefined && f.status.length > 0) q = q.where('status', 'in', f.status);
    if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
    if (f.until !== undefined) q = q.where('created_at', '<', f.until);
    let rows;
    if (f.until === undefined) {
      if (f.cursor !== undefined) q = q.where('id', '<', f.cursor);
      rows = await q.orderBy('id', 'desc').limit(f.limit + 1).execute();
    } else {
      // Ids follow the wall clock, created_at the engine's clock: a page ending far in the past is
      // found through executions_created_idx in created_at order (the same order when the clocks
      // agree), not by walking every newer id down to it.
      if (f.cursor !== undefined) {
        const at = await this.db.selectFrom('executions').select('created_at').where('id', '=', f.cursor).executeTakeFirst();
        if (at === undefined) q = q.where('id', '<', f.cursor);
        else q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(at.created_at, f.cursor!)));
      }
      rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    }
    const page = rows.slice(0, f.limit);
    const items = page.map((r) => ({
      ...r,
      status: r.status as ExecutionStatus,
      mode: r.mode as ExecutionMode,
      error: r.error === null ? null : (JSON.parse(r.error) as ErrorRecord),
    }));
    return { items, next_cursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  /** Executions per status, for the dashboard and the Prometheus gauges (rollups, not a scan). */
  async countByStatus(): Promise<Map<string, number>> {
    await this.settle();
    return executionCountsByStatus(this.db);
  }

  /**
   * Node runs that hold or wait for a worker slot: the queue depth. Such runs belong to unfinished
   * executions, so the count walks those (executions_status_id_idx) and their runs (the runs' unique
   * key starts with execution_id) instead of every run ever stored; no extra index on the hot table.
   */
  async openRunCounts(): Promise<{ pending: number; running: number }> {
    const rows = await this.db
      .selectFrom('executions as e')
      .innerJoin('node_executions as n', 'n.execution_id', 'e.id')
      .select(['n.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.status', 'in', ['pending', 'running', 'waiting', 'paused'])
      .where('n.status', 'in', ['pending', 'running'])
      .groupBy('n.status')
      .execute();
    const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
    return { pending: by.get('pending') ?? 0, running: by.get('running') ?? 0 };
  }
}
