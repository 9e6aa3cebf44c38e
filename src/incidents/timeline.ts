import { newId } from '../model/ids.js';
import type { IncidentEventKind } from './incident-types.js';
import type { Unit } from './unit-of-work.js';

/** Appends a timeline row in the unit's transaction; the first row of a unit carries its step key. */
export async function appendEvent(u: Unit, incidentId: string, kind: IncidentEventKind, data?: Record<string, unknown>): Promise<void> {
  const key = u.idempotencyKey ?? null;
  u.idempotencyKey = undefined;
  await u.trx
    .insertInto('incident_events')
    .values({
      id: newId('iev', u.now),
      incident_id: incidentId,
      at: u.now,
      kind,
      actor: u.actor,
      data: data === undefined ? null : JSON.stringify(data),
      idempotency_key: key,
    })
    .execute();
}

/** The incident a step already changed under this key, if it did. */
export async function changedByKey(u: Unit): Promise<string | undefined> {
  if (u.idempotencyKey === undefined) return undefined;
  const row = await u.trx.selectFrom('incident_events').select('incident_id').where('idempotency_key', '=', u.idempotencyKey).executeTakeFirst();
  return row?.incident_id;
}
