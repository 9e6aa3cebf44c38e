import type { Kysely } from 'kysely';
import { NotFoundError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { sealTriggerConfig } from '../model/seal-secrets.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import type { Database, WorkflowTriggersTable } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

export interface TriggerRecord {
  readonly id: string;
  readonly workflow_id: string;
  readonly trigger_type: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  readonly status: string;
  readonly last_fired_at: number | null;
  readonly last_error: string | null;
  readonly fire_count: number;
  /** Events refused by its rate_limit. */
  readonly dropped_count: number;
  /** Events its debounce folded into a later one. */
  readonly debounced_count: number;
  readonly created_at: number;
  /** The trigger node of the active version this row mirrors; null for triggers registered through the API. */
  readonly node_id: string | null;
}

/** A trigger node of the active version, as the row mirroring it should read. */
export interface NodeTrigger {
  readonly node_id: string;
  readonly trigger_type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a status flush writes: fires are added to the count, the rest replaces. */
export interface TriggerStatusPatch {
  readonly status?: string;
  readonly last_error?: string | null;
  readonly fired?: number;
  readonly last_fired_at?: number;
  /** Events the rate limit refused since the last write. */
  readonly dropped?: number;
  /** Events a debounce folded into a later one since the last write. */
  readonly debounced?: number;
}

/** A workflow's trigger registrations and their status; firing them belongs to triggers/. */
export class TriggerRepository {
  private keeper: SecretKeeper | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** From now on the secret fields of configs added are sealed into the vault (app.ts wires it). */
  sealSecretsWith(keeper: SecretKeeper): void {
    this.keeper = keeper;
  }

  async add(workflowId: string, input: { trigger_type: string; config: Record<string, unknown>; enabled: boolean }): Promise<TriggerRecord> {
    const config = this.keeper ? await sealTriggerConfig(this.keeper, workflowId, input.trigger_type, input.config) : input.config;
    const row: WorkflowTriggersTable = {
      id: newId('trg'), workflow_id: workflowId, trigger_type: input.trigger_type, config: JSON.stringify(config),
      enabled: input.enabled ? 1 : 0, status: 'idle', last_fired_at: null, last_error: null, fire_count: 0, dropped_count: 0, debounced_count: 0, created_at: this.now(), node_id: null,
    };
    await this.db.insertInto('workflow_triggers').values(row).execute();
    return toRecord(row);
  }

  async get(triggerId: string): Promise<TriggerRecord | undefined> {
    const row = await this.db.selectFrom('workflow_triggers').selectAll().where('id', '=', triggerId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async list(workflowId: string): Promise<TriggerRecord[]> {
    const rows = await this.db.selectFrom('workflow_triggers').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Enabled triggers of active workflows (every one, or one workflow's): what should be running. */
  async listRunnable(workflowId?: string): Promise<Array<TriggerRecord & { active_version_id: string }>> {
    let q = this.db
      .selectFrom('workflow_triggers as t')
      .innerJoin('workflows as w', 'w.id', 't.workflow_id')
      .selectAll('t')
      .select('w.active_version_id')
      .where('w.status', '=', 'active')
      .where('w.active_version_id', 'is not', null)
      .where('t.enabled', '=', 1);
    if (workflowId !== undefined) q = q.where('t.workflow_id', '=', workflowId);
    const rows = await q.orderBy('t.id').execute();
    return rows.map((r) => ({ ...toRecord(r), active_version_id: r.active_version_id! }));
  }

  /** Active workflows and their active version: whose triggers should run. */
  async activeWorkflows(): Promise<Array<{ id: string; active_version_id: string }>> {
    const rows = await this.db.selectFrom('workflows').select(['id', 'active_version_id']).where('status', '=', 'active').where('active_version_id', 'is not', null).execute();
    return rows.map((r) => ({ id: r.id, active_version_id: r.active_version_id! }));
  }

  async remove(workflowId: string, triggerId: string): Promise<void> {
    const r = await this.db.deleteFrom('workflow_triggers').where('workflow_id', '=', workflowId).where('id', '=', triggerId).executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError('trigger', triggerId);
  }

  /**
   * Makes the node-mirroring rows match the active version's trigger nodes: new nodes get a row,
   * changed ones their type and config (status and counters stay), removed ones lose theirs.
   */
  async syncNodeTriggers(workflowId: string, nodes: readonly NodeTrigger[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('workflow_triggers').select(['id', 'node_id']).where('workflow_id', '=', workflowId).where('node_id', 'is not', null).execute();
      const byNode = new Map(existing.map((r) => [r.node_id!, r.id]));
      const keep = new Set(nodes.map((n) => n.node_id));
      const stale = existing.filter((r) => !keep.has(r.node_id!)).map((r) => r.id);
      if (stale.length > 0) await trx.deleteFrom('workflow_triggers').where('id', 'in', stale).execute();
      for (const n of nodes) {
        const id = byNode.get(n.node_id);
        if (id !== undefined) {
          await trx.updateTable('workflow_triggers').set({ trigger_type: n.trigger_type, config: JSON.stringify(n.config), enabled: 1 }).where('id', '=', id).execute();
          continue;
        }
        await trx.insertInto('workflow_triggers').values({
          id: newId('trg'), workflow_id: workflowId, trigger_type: n.trigger_type, config: JSON.stringify(n.config), enabled: 1,
          status: 'idle', last_fired_at: null, last_error: null, fire_count: 0, dropped_count: 0, debounced_count: 0, created_at: this.now(), node_id: n.node_id,
        }).execute();
      }
    });
  }

  async updateStatus(triggerId: string, patch: TriggerStatusPatch): Promise<void> {
    const fired = patch.fired ?? 0;
    await this.db
      .updateTable('workflow_triggers')
      .set((eb) => ({
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.last_error !== undefined ? { last_error: patch.last_error } : {}),
        ...(patch.last_fired_at !== undefined ? { last_fired_at: patch.last_fired_at } : {}),
        ...(fired > 0 ? { fire_count: eb(eb.ref('fire_count'), '+', fired) } : {}),
        ...((patch.dropped ?? 0) > 0 ? { dropped_count: eb(eb.ref('dropped_count'), '+', patch.dropped ?? 0) } : {}),
        ...((patch.debounced ?? 0) > 0 ? { debounced_count: eb(eb.ref('debounced_count'), '+', patch.debounced ?? 0) } : {}),
      }))
      .where('id', '=', triggerId)
      .execute();
  }

  /**
   * The per-tick job key: true for the one caller whose INSERT of (trigger, tick) wins, on any number
   * of processes sharing the database.
   */
  async claimTick(triggerId: string, tickAt: number, owner: string): Promise<boolean> {
    try {
      await this.db.insertInto('trigger_ticks').values({ trigger_id: triggerId, tick_at: tickAt, claimed_by: owner, claimed_at: this.now() }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** The latest tick claimed for a trigger: where a misfire policy looks back from after downtime. */
  async lastTick(triggerId: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('trigger_ticks').select((eb) => eb.fn.max('tick_at').as('at')).where('trigger_id', '=', triggerId).executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /** Ticks older than `before` are only history: pruned so the table stays small. */
  async pruneTicks(before: number): Promise<void> {
    await this.db.deleteFrom('trigger_ticks').where('claimed_at', '<', before).execute();
  }
}

function toRecord(r: WorkflowTriggersTable): TriggerRecord {
  return {
    ...r, config: JSON.parse(r.config) as Record<string, unknown>, enabled: r.enabled === 1, fire_count: Number(r.fire_count),
    dropped_count: Number(r.dropped_count), debounced_count: Number(r.debounced_count),
    last_fired_at: r.last_fired_at === null ? null : Number(r.last_fired_at), created_at: Number(r.created_at), node_id: r.node_id ?? null,
  };
}
