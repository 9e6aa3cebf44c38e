import { cancelPendingTimers } from './escalation-timers.js';
import { incidentResolved } from './incident-errors.js';
import { loadIncident } from './incident-queries.js';
import { toIncident } from './incident-rows.js';
import type { Incident } from './incident-types.js';
import { appendEvent } from './timeline.js';
import { enqueueSync } from './provider-sync-outbox.js';
import { pushHook, type Unit } from './unit-of-work.js';

// Transitions are conditional UPDATEs (`WHERE status = …`) rather than read-then-write: two
// concurrent acknowledgements cannot both win, on either dialect, without row locks.

/** triggered → acknowledged: stops escalation and acknowledges the incident's alerts. Acknowledged again: no-op. */
export async function acknowledgeIncident(u: Unit, id: string): Promise<Incident> {
  const row = await u.trx
    .updateTable('incidents')
    .set({ status: 'acknowledged', acknowledged_at: u.now, updated_at: u.now })
    .where('id', '=', id)
    .where('status', '=', 'triggered')
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const current = await loadIncident(u.trx, id);
    if (current.status === 'resolved') throw incidentResolved(id, 'acknowledge');
    return current;
  }
  await u.trx
    .updateTable('alerts')
    .set({ status: 'acknowledged', acknowledged_at: u.now })
    .where('incident_id', '=', id)
    .where('status', '=', 'triggered')
    .execute();
  const cancelled = await cancelPendingTimers(u, id);
  const incident = toIncident(row);
  await appendEvent(u, id, 'acknowledged', { cancelled_timers: cancelled });
  await enqueueSync(u, incident, 'acknowledge', null);
  pushHook(u, 'incident.acknowledged', incident);
  return incident;
}

/** → resolved: resolves its alerts (freeing their dedup keys) and cancels escalation. Resolved again: no-op. */
export async function resolveIncident(u: Unit, id: string, resolution?: string): Promise<Incident> {
  const row = await u.trx
    .updateTable('incidents')
    .set({ status: 'resolved', resolved_at: u.now, updated_at: u.now })
    .where('id', '=', id)
    .where('status', '<>', 'resolved')
    .returningAll()
    .executeTakeFirst();
  if (!row) return loadIncident(u.trx, id);
  await u.trx
    .updateTable('alerts')
    .set({ status: 'resolved', resolved_at: u.now })
    .where('incident_id', '=', id)
    .where('status', '<>', 'resolved')
    .execute();
  const cancelled = await cancelPendingTimers(u, id);
  const incident = toIncident(row);
  const data = { cancelled_timers: cancelled, ...(resolution === undefined ? {} : { resolution }) };
  await appendEvent(u, id, 'resolved', data);
  await enqueueSync(u, incident, 'resolve', resolution ?? `Resolved (${incident.key})`);
  pushHook(u, 'incident.resolved', incident, resolution === undefined ? {} : { resolution });
  return incident;
}
