import type { Kysely, Transaction } from 'kysely';
import type { VersionRecord } from '../engine/store-port.js';
import { ConflictError, NotFoundError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { sealDefinition } from '../model/seal-secrets.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import type { WorkflowDefinition } from '../model/types.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { Database, WorkflowsTable } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';
import { definitionFromRows, edgeRows, nodeRows, variableRows, workflowHeaderColumns } from './workflow-rows.js';

export type WorkflowSummary = Pick<
  WorkflowsTable,
  'id' | 'name' | 'status' | 'active_version_id' | 'draft_revision' | 'created_at' | 'updated_at'
>;

// Keeps every multi-row INSERT well under SQLite's 32766 bound parameters (11 columns per node row).
const CHUNK = 200;

/**
 * Workflows, their draft (normalized into nodes/edges/variables rows so the API can page and search
 * them) and their immutable published versions (whole definitions, as executions pin them).
 * One Kysely implementation serves both dialects.
 */
export class WorkflowRepository {
  private keeper: SecretKeeper | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * From now on every definition stored (draft or version) has its trigger secrets and secret
   * variables' defaults sealed into the vault, references in their place (app.ts wires the vault).
   */
  sealSecretsWith(keeper: SecretKeeper): void {
    this.keeper = keeper;
  }

  private seal(workflowId: string, def: WorkflowDefinition): Promise<WorkflowDefinition> {
    return this.keeper ? sealDefinition(this.keeper, workflowId, def) : Promise.resolve(def);
  }

  async createWorkflow(def: WorkflowDefinition, opts: { id?: string } = {}): Promise<{ id: string }> {
    const id = opts.id ?? newId('wf');
    def = await this.seal(id, def);
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('workflows')
        .values({ id, ...workflowHeaderColumns(def), status: 'draft', active_version_id: null, draft_revision: 1, created_at: at, updated_at: at })
        .execute();
      await insertGraph(trx, id, def);
    });
    return { id };
  }

  /**
   * Replaces the draft and bumps draft_revision. With `expectRevision`, refuses (ConflictError) when
   * someone else saved since that revision was read: the editor's optimistic concurrency.
   */
  async replaceDefinition(workflowId: string, given: WorkflowDefinition, opts: { expectRevision?: number } = {}): Promise<{ draft_revision: number }> {
    const def = await this.seal(workflowId, given);
    return this.db.transaction().execute(async (trx) => {
      let update = trx
        .updateTable('workflows')
        .set((eb) => ({ ...workflowHeaderColumns(def), draft_revision: eb('draft_revision', '+', 1), updated_at: this.now() }))
        .where('id', '=', workflowId);
      if (opts.expectRevision !== undefined) update = update.where('draft_revision', '=', opts.expectRevision);
      const row = await update.returning('draft_revision').executeTakeFirst();
      if (row === undefined) {
        const current = await trx.selectFrom('workflows').select('draft_revision').where('id', '=', workflowId).executeTakeFirst();
        if (current === undefined) throw new NotFoundError('workflow', workflowId);
        throw new ConflictError('workflow was modified since it was read', { expected: opts.expectRevision, actual: current.draft_revision });
      }
      for (const table of ['workflow_nodes', 'workflow_edges', 'workflow_variables'] as const) {
        await trx.deleteFrom(table).where('workflow_id', '=', workflowId).execute();
      }
      await insertGraph(trx, workflowId, def);
      return { draft_revision: row.draft_revision };
    });
  }

  async getWorkflow(workflowId: string): Promise<WorkflowSummary | undefined> {
    return this.db
      .selectFrom('workflows')
      .select(['id', 'name', 'status', 'active_version_id', 'draft_revision', 'created_at', 'updated_at'])
      .where('id', '=', workflowId)
      .executeTakeFirst();
  }

  async getDefinition(workflowId: string): Promise<WorkflowDefinition | undefined> {
    const workflow = await this.db
      .selectFrom('workflows')
      .select(['name', 'description', 'category', 'tags', 'settings', 'viewport'])
      .where('id', '=', workflowId)
      .executeTakeFirst();
    if (workflow === undefined) return undefined;
    const [nodes, edges, variables] = await Promise.all([
      this.db.selectFrom('workflow_nodes').selectAll().where('workflow_id', '=', workflowId).orderBy('ordinal').execute(),
      this.db.selectFrom('workflow_edges').selectAll().where('workflow_id', '=', workflowId).orderBy('ordinal').execute(),
      this.db.selectFrom('workflow_variables').selectAll().where('workflow_id', '=', workflowId).orderBy('ordinal').execute(),
    ]);
    return definitionFromRows({ workflow, nodes, edges, variables });
  }

  /**
   * Stores `def` as the workflow's next immutable version, unless the latest version already has
   * the same canonical hash: publishing an unchanged draft twice yields one version.
   */
  async snapshotVersion(workflowId: string, given: WorkflowDefinition, opts: { createdBy?: string } = {}): Promise<VersionRecord> {
    const definition = canonicalJson(await this.seal(workflowId, given));
    const hash = sha256Hex(definition);
    // Two concurrent publishers may pick the same number; the unique key refuses one, which retries.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const exists = await trx.selectFrom('workflows').select('id').where('id', '=', workflowId).executeTakeFirst();
          if (exists === undefined) throw new NotFoundError('workflow', workflowId);
          const latest = await trx
            .selectFrom('workflow_versions')
            .select(['id', 'workflow_id', 'version', 'definition', 'hash', 'created_at'])
            .where('workflow_id', '=', workflowId)
            .orderBy('version', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (latest !== undefined && latest.hash === hash) return toVersion(latest);
          const row = { id: newId('ver'), workflow_id: workflowId, version: (latest?.version ?? 0) + 1, definition, hash, created_at: this.now() };
          await trx.insertInto('workflow_versions').values({ ...row, created_by: opts.createdBy ?? null }).execute();
          return toVersion(row);
        });
      } catch (err) {
        if (attempt >= 3 || !isUniqueViolation(err)) throw err;
      }
    }
  }

  async getVersion(versionId: string): Promise<VersionRecord | undefined> {
    const row = await this.db
      .selectFrom('workflow_versions')
      .select(['id', 'workflow_id', 'version', 'definition', 'created_at'])
      .where('id', '=', versionId)
      .executeTakeFirst();
    return row === undefined ? undefined : toVersion(row);
  }

  /** Oldest first. */
  async listVersions(workflowId: string): Promise<VersionRecord[]> {
    const rows = await this.db
      .selectFrom('workflow_versions')
      .select(['id', 'workflow_id', 'version', 'definition', 'created_at'])
      .where('workflow_id', '=', workflowId)
      .orderBy('version')
      .execute();
    return rows.map(toVersion);
  }

  /** Points the workflow at one of its own versions; status changes are the caller's business. */
  async setActiveVersion(workflowId: string, versionId: string): Promise<void> {
    const version = await this.db
      .selectFrom('workflow_versions')
      .select('id')
      .where('id', '=', versionId)
      .where('workflow_id', '=', workflowId)
      .executeTakeFirst();
    if (version === undefined) throw new NotFoundError('version', versionId);
    const result = await this.db
      .updateTable('workflows')
      .set({ active_version_id: versionId, updated_at: this.now() })
      .where('id', '=', workflowId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new NotFoundError('workflow', workflowId);
  }
}

function toVersion(row: { id: string; workflow_id: string; version: number; definition: string; created_at: number }): VersionRecord {
  return {
    id: row.id,
    workflow_id: row.workflow_id,
    version: row.version,
    definition: JSON.parse(row.definition) as WorkflowDefinition,
    created_at: row.created_at,
  };
}

async function insertGraph(trx: Transaction<Database>, workflowId: string, def: WorkflowDefinition): Promise<void> {
  const inserts = [
    ['workflow_nodes', nodeRows(workflowId, def.nodes)],
    ['workflow_edges', edgeRows(workflowId, def.edges)],
    ['workflow_variables', variableRows(workflowId, def.variables ?? [])],
  ] as const;
  for (const [table, rows] of inserts) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx.insertInto(table).values(rows.slice(i, i + CHUNK)).execute();
    }
  }
}
