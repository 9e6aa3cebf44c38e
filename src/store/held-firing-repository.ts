import type { Kysely } from 'kysely';
import type { HeldFiring, HeldFirings } from '../triggers/held-firings.js';
import type { Database } from './schema.js';

/** Debounced events in `trigger_held_firings` (migration 021): one row per trigger, the burst's last event. */
export class HeldFiringRepository implements HeldFirings {
  readonly durable = true;

  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = Date.now) {}

  async hold(triggerId: string, held: HeldFiring): Promise<boolean> {
    const row = { input: JSON.stringify(held.input ?? null), firing_key: held.key, due_at: held.dueAt, held_at: this.now() };
    const before = await this.db.selectFrom('trigger_held_firings').select('trigger_id').where('trigger_id', '=', triggerId).executeTakeFirst();
    await this.db.insertInto('trigger_held_firings').values({ trigger_id: triggerId, ...row })
      .onConflict((oc) => oc.column('trigger_id').doUpdateSet(row)).execute();
    return before !== undefined;
  }

  async get(triggerId: string): Promise<HeldFiring | undefined> {
    const row = await this.db.selectFrom('trigger_held_firings').select(['input', 'firing_key', 'due_at']).where('trigger_id', '=', triggerId).executeTakeFirst();
    return row && { input: JSON.parse(row.input) as unknown, key: row.firing_key, dueAt: Number(row.due_at) };
  }

  async release(triggerId: string, dueAt: number): Promise<void> {
    await this.db.deleteFrom('trigger_held_firings').where('trigger_id', '=', triggerId).where('due_at', '=', dueAt).execute();
  }
}
