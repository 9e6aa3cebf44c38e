import type { Kysely } from 'kysely';
import { NotFoundError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import type { Database, WorkflowTriggersTable } from './schema.js';

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
  readonly created_at: number;
}

/** A workflow's trigger registrations; firing them belongs to triggers/. */
export class TriggerRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async add(workflowId: string, input: { trigger_type: string; config: Record<string, unknown>; enabled: boolean }): Promise<TriggerRecord> {
    const row: WorkflowTriggersTable = {
      id: newId('trg'), workflow_id: workflowId, trigger_type: input.trigger_type, config: JSON.stringify(input.config),
      enabled: input.enabled ? 1 : 0, status: 'idle', last_fired_at: null, last_error: null, fire_count: 0, created_at: this.now(),
    };
    await this.db.insertInto('workflow_triggers').values(row).execute();
    return toRecord(row);
  }

  async list(workflowId: string): Promise<TriggerRecord[]> {
    const rows = await this.db.selectFrom('workflow_triggers').selectAll().where('workflow_id', '=', workflowId).orderBy('id').execute();
    return rows.map(toRecord);
  }

  async remove(workflowId: string, triggerId: string): Promise<void> {
    const r = await this.db.deleteFrom('workflow_triggers').where('workflow_id', '=', workflowId).where('id', '=', triggerId).executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new NotFoundError('trigger', triggerId);
  }
}

function toRecord(r: WorkflowTriggersTable): TriggerRecord {
  return { ...r, config: JSON.parse(r.config) as Record<string, unknown>, enabled: r.enabled === 1, fire_count: Number(r.fire_count) };
}
