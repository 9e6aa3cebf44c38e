import type { Kysely } from 'kysely';
import type { EpochMs, ExecutionRecord, LoadedExecution, LogRecord, NodeRunRecord, VersionRecord } from '../engine/store-port.js';
import type { WorkflowDefinition } from '../model/types.js';
import { executionFromRow, fromJson, logFromRow, runFromRow } from './engine-rows.js';
import { PayloadRefs, missingTargets, resolveRefs } from './payload-refs.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

const UNFINISHED = ['pending', 'running', 'waiting', 'paused'];

/**
 * The read side of EngineStore, one Kysely implementation for both dialects (reads are not the hot
 * path; commit() is, and each dialect writes it by hand). Subclasses add commit().
 */
export abstract class KyselyEngineReads {
  /** What this store knows to be stored already, for writing references instead of copies. */
  protected readonly refs = new PayloadRefs();

  constructor(protected readonly db: Kysely<Database>) {}

  async getVersion(versionId: string): Promise<VersionRecord | undefined> {
    const row = await this.db
      .selectFrom('workflow_versions')
      .select(['id', 'workflow_id', 'version', 'definition', 'created_at'])
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return { ...row, definition: JSON.parse(row.definition) as WorkflowDefinition };
  }

  async loadExecution(executionId: string): Promise<LoadedExecution | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('id', '=', executionId).executeTakeFirst();
    if (row === undefined) return undefined;
    // Ids start with a timestamp (model/ids.ts), so ordering by id is creation order and stable.
    const runs = await this.db
      .selectFrom('node_executions')
      .selectAll()
      .where('execution_id', '=', executionId)
      .orderBy('id')
      .execute();
    const execution = executionFromRow(row);
    const stored = runs.map(runFromRow);
    const resolved = resolveRefs(stored, new Map(stored.map((r) => [r.id, r])), new Map([[execution.id, execution.input_data]]));
    this.refs.rememberLoaded(execution, resolved);
    return { execution, runs: resolved, revision: row.revision };
  }

  async getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('id', '=', executionId).executeTakeFirst();
    return row === undefined ? undefined : executionFromRow(row);
  }

  async getRuns(runIds: readonly string[]): Promise<NodeRunRecord[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db.selectFrom('node_executions').selectAll().where('id', 'in', [...runIds]).orderBy('id').execute();
    const runs = rows.map(runFromRow);
    const byId = new Map(runs.map((r) => [r.id, r]));
    const inputs = new Map<string, unknown>();
    // References point at earlier runs of the same execution (or its input): fetch them, level by level.
    for (let pending = runs; ; ) {
      const missing = missingTargets(pending, byId);
      const newInputs = missing.executionIds.filter((id) => !inputs.has(id));
      if (missing.runIds.length === 0 && newInputs.length === 0) break;
      if (newInputs.length > 0) {
        const xs = await this.db.selectFrom('executions').select(['id', 'input_data']).where('id', 'in', newInputs).execute();
        for (const x of xs) inputs.set(x.id, fromJson(x.input_data));
      }
      if (missing.runIds.length === 0) break;
      const more = (await this.db.selectFrom('node_executions').selectAll().where('id', 'in', missing.runIds).execute()).map(runFromRow);
      if (more.length === 0) break;
      for (const r of more) byId.set(r.id, r);
      pending = more;
    }
    return resolveRefs(runs, byId, inputs);
  }

  async listUnfinishedExecutionIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('executions')
      .select('id')
      .where('status', 'in', UNFINISHED)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async findExecutionByIdempotencyKey(workflowId: string, key: string): Promise<ExecutionRecord | undefined> {
    const row = await this.db
      .selectFrom('executions')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row === undefined ? undefined : executionFromRow(row);
  }

  async renewLeases(owner: string, runIds: readonly string[], expiresAt: EpochMs): Promise<void> {
    if (runIds.length === 0) return;
    // Chunked: SQLite caps bound parameters (32766) and huge IN lists plan badly on both dialects.
    for (let i = 0; i < runIds.length; i += 500) {
      await this.db
        .updateTable('node_executions')
        .set({ lease_expires_at: expiresAt })
        .where('lease_owner', '=', owner)
        .where('id', 'in', runIds.slice(i, i + 500))
        .execute();
    }
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.db.updateTable('node_executions').set({ lease_expires_at: 0 }).where('lease_owner', '=', owner).where('status', '=', 'running').execute();
  }

  async countActiveExecutions(workflowId: string): Promise<number> {
    const row = await this.db
      .selectFrom('executions')
      .select(({ fn }) => fn.countAll<number | string>().as('n'))
      .where('workflow_id', '=', workflowId)
      .where('status', 'in', ['running', 'waiting', 'paused'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async nextQueuedExecutionId(workflowId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('executions')
      .select('id')
      .where('workflow_id', '=', workflowId)
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }

  async listLogs(executionId: string): Promise<LogRecord[]> {
    const rows = await this.db
      .selectFrom('execution_logs')
      .select(['execution_id', 'node_id', 'scope', 'attempt', 'level', 'message', 'data', 'ts'])
      .where('execution_id', '=', executionId)
      .orderBy('id')
      .execute();
    return rows.map(logFromRow);
  }

  async claimConcurrencySlot(executionId: string, limit: number): Promise<boolean> {
    // Another process may take the slot picked here first: the unique index refuses the second
    // taker, which looks again. A few rounds; whoever keeps winning admits the queue instead.
    for (let round = 0; round < 5; round++) {
      const me = await this.db.selectFrom('executions').select(['workflow_id', 'concurrency_key', 'concurrency_slot', 'status'])
        .where('id', '=', executionId).executeTakeFirst();
      if (me?.concurrency_key == null) return false;
      if (me.concurrency_slot !== null) return UNFINISHED.includes(me.status);
      if (me.status !== 'pending') return false;
      const taken = await this.db.selectFrom('executions').select('concurrency_slot')
        .where('workflow_id', '=', me.workflow_id).where('concurrency_key', '=', me.concurrency_key)
        .where('concurrency_slot', 'is not', null).where('status', 'in', UNFINISHED).execute();
      const used = new Set(taken.map((r) => r.concurrency_slot));
      let free = 0;
      while (used.has(free)) free++;
      if (free >= limit) return false;
      try {
        const r = await this.db.updateTable('executions').set({ concurrency_slot: free })
          .where('id', '=', executionId).where('status', '=', 'pending').where('concurrency_slot', 'is', null).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) return true;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return false;
  }

  async queuedForKey(workflowId: string, key: string, max: number): Promise<Array<{ id: string; hasSlot: boolean }>> {
    const rows = await this.db.selectFrom('executions').select(['id', 'concurrency_slot'])
      .where('workflow_id', '=', workflowId).where('concurrency_key', '=', key).where('status', '=', 'pending')
      .orderBy('created_at').orderBy('id').limit(max).execute();
    return rows.map((r) => ({ id: r.id, hasSlot: r.concurrency_slot !== null }));
  }

  async keysWithQueued(): Promise<Array<{ workflowId: string; key: string }>> {
    const rows = await this.db.selectFrom('executions').select(['workflow_id', 'concurrency_key']).distinct()
      .where('status', '=', 'pending').where('concurrency_key', 'is not', null).execute();
    return rows.map((r) => ({ workflowId: r.workflow_id, key: r.concurrency_key ?? '' }));
  }
}
