import type { Unit } from './unit-of-work.js';

/**
 * The next INC number. The counter row's lock is held until the unit commits, so concurrent creates
 * on PostgreSQL queue here instead of colliding on the unique number; a rolled-back create leaves a gap.
 */
export async function nextIncidentNumber(u: Unit): Promise<number> {
  const row = await u.trx
    .updateTable('incident_counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'incident')
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
