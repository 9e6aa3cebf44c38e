import type { Kysely } from 'kysely';
import type { EpochMs, ExecutionRecord, LoadedExecution, LogRecord, NodeRunRecord, VersionRecord } from '../engine/store-port.js';
import type { WorkflowDefinition } from '../model/types.js';
import { executionFromRow, logFromRow, runFromRow } from './engine-rows.js';
import type { Database } from './schema.js';

const UNFINISHED = ['pending', 'running', 'waiting', 'paused'];

/**
 * The read side of EngineStore, one Kysely implementation for both dialects (reads are not the hot
 * path; commit() is, and each dialect writes it by hand). Subclasses add commit().
 */
export abstract class KyselyEngineReads {
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
    return { execution: executionFromRow(row), runs: runs.map(runFromRow), revision: row.revision };
  }

  async getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('id', '=', executionId).executeTakeFirst();
    return row === undefined ? undefined : executionFromRow(row);
  }

  async getRuns(runIds: readonly string[]): Promise<NodeRunRecord[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db.selectFrom('node_executions').selectAll().where('id', 'in', [...runIds]).orderBy('id').execute();
    return rows.map(runFromRow);
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
}
