import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../model/errors.js';
import type { StoreDialect } from './dialect.js';
import type { Database, WorkflowsTable } from './schema.js';

export type WorkflowStatus = WorkflowsTable['status'];

export interface WorkflowHeader {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly category: string | null;
  readonly tags: readonly string[];
  readonly status: WorkflowStatus;
  readonly active_version_id: string | null;
  /** The active version's number, when there is one. */
  readonly active_version: number | null;
  readonly draft_revision: number;
  readonly node_count: number;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface WorkflowFilter {
  readonly status?: WorkflowStatus;
  readonly category?: string;
  readonly tag?: string;
  /** Case-insensitive substring of the name. */
  readonly q?: string;
  readonly limit: number;
  readonly offset: number;
}

/** The workflow list, status changes and deletion: what the API needs beyond the draft and versions. */
export class WorkflowQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: StoreDialect,
    private readonly now: () => number = Date.now,
  ) {}

  private base() {
    return this.db
      .selectFrom('workflows as w')
      .leftJoin('workflow_versions as v', 'v.id', 'w.active_version_id')
      .select([
        'w.id', 'w.name', 'w.description', 'w.category', 'w.tags', 'w.status', 'w.active_version_id', 'v.version as active_version',
        'w.draft_revision', 'w.created_at', 'w.updated_at',
      ])
      .select((eb) => eb.selectFrom('workflow_nodes as n').whereRef('n.workflow_id', '=', 'w.id').select(eb.fn.countAll<number>().as('c')).as('node_count'));
  }

  async list(f: WorkflowFilter): Promise<{ items: WorkflowHeader[]; total: number }> {
    let q = this.db.selectFrom('workflows as w');
    if (f.status) q = q.where('w.status', '=', f.status);
    if (f.category) q = q.where('w.category', '=', f.category);
    if (f.q) q = q.where(sql<boolean>`lower(w.name) like ${`%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`} escape '\\'`);
    if (f.tag) {
      q = q.where(
        this.dialect === 'postgres'
          ? sql<boolean>`w.tags @> jsonb_build_array(${f.tag}::text)`
          : sql<boolean>`exists (select 1 from json_each(w.tags) where json_each.value = ${f.tag})`,
      );
    }
    const ids = await q.select('w.id').orderBy('w.updated_at', 'desc').orderBy('w.id', 'desc').limit(f.limit).offset(f.offset).execute();
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (ids.length === 0) return { items: [], total: Number(total.n) };
    const rows = await this.base().where('w.id', 'in', ids.map((r) => r.id)).execute();
    const byId = new Map(rows.map((r) => [r.id, toHeader(r)]));
    return { items: ids.map((r) => byId.get(r.id)).filter((h): h is WorkflowHeader => h !== undefined), total: Number(total.n) };
  }

  async get(id: string): Promise<WorkflowHeader | undefined> {
    const row = await this.base().where('w.id', '=', id).executeTakeFirst();
    return row && toHeader(row);
  }

  async require(id: string): Promise<WorkflowHeader> {
    const h = await this.get(id);
    if (!h) throw new NotFoundError('workflow', id);
    return h;
  }

  async setStatus(id: string, status: WorkflowStatus): Promise<void> {
    const r = await this.db.updateTable('workflows').set({ status, updated_at: this.now() }).where('id', '=', id).executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw new NotFoundError('workflow', id);
  }

  /** Removes the workflow, its draft, versions and triggers; its executions stay as history. */
  async delete(id: string): Promise<void> {
    const r = await this.db.deleteFrom('workflows').where('id', '=', id).executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError('workflow', id);
  }

  async counts(): Promise<{ total: number; active: number }> {
    const row = await this.db
      .selectFrom('workflows')
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('status', '=', 'active').then(1).else(0).end()).as('active')])
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), active: Number(row.active ?? 0) };
  }
}

interface HeaderRow {
  id: string; name: string; description: string | null; category: string | null; tags: string | null; status: WorkflowStatus;
  active_version_id: string | null; active_version: number | null; draft_revision: number; created_at: number; updated_at: number;
  node_count: number | string | null;
}

function toHeader(r: HeaderRow): WorkflowHeader {
  return { ...r, tags: r.tags === null ? [] : (JSON.parse(r.tags) as string[]), node_count: Number(r.node_count ?? 0) };
}
