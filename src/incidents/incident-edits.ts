import { loadIncident } from './incident-queries.js';
import { toIncident } from './incident-rows.js';
import { invalidInput } from './incident-errors.js';
import { SEVERITIES, type ExternalRef, type Incident, type Severity } from './incident-types.js';
import { appendEvent } from './timeline.js';
import type { Unit } from './unit-of-work.js';

export interface IncidentPatch {
  readonly title?: string | undefined;
  readonly description?: string | null | undefined;
  readonly severity?: Severity | undefined;
  readonly service?: string | null | undefined;
}

const PATCH_FIELDS = ['title', 'description', 'severity', 'service'] as const;

/** Changes the given fields; the `updated` row records each one's before and after. Nothing changed: no row. */
export async function updateIncident(u: Unit, id: string, patch: IncidentPatch): Promise<Incident> {
  if (patch.severity !== undefined && !SEVERITIES.includes(patch.severity)) {
    throw invalidInput('invalid_incident', `incident severity must be one of ${SEVERITIES.join(', ')}`, '/severity');
  }
  if (patch.title?.trim() === '') throw invalidInput('invalid_incident', 'incident title cannot be empty', '/title');
  const current = await loadIncident(u.trx, id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  for (const field of PATCH_FIELDS) {
    const to = patch[field];
    if (to === undefined || to === current[field]) continue;
    changes[field] = { from: current[field], to };
    set[field] = to;
  }
  if (Object.keys(set).length === 0) return current;
  const row = await u.trx
    .updateTable('incidents')
    .set({ ...set, updated_at: u.now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(u, id, 'updated', { changes });
  return toIncident(row);
}

/** Assigning the current assignee again changes nothing. */
export async function assignIncident(u: Unit, id: string, assignee: string): Promise<Incident> {
  const current = await loadIncident(u.trx, id);
  if (current.assignee === assignee) return current;
  const row = await u.trx
    .updateTable('incidents')
    .set({ assignee, updated_at: u.now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(u, id, 'assigned', { assignee, previous: current.assignee });
  return toIncident(row);
}

export async function addNote(u: Unit, id: string, text: string): Promise<Incident> {
  const current = await loadIncident(u.trx, id);
  await appendEvent(u, id, 'note', { text });
  return current;
}

/**
 * Records a forward to PagerDuty/Opsgenie/ServiceNow as a `notified` row, and with a `ref` keeps it on
 * the incident (one per provider, the latest wins) so a later resolve reaches the same record.
 */
export async function recordForwarding(u: Unit, id: string, action: string, ref: ExternalRef): Promise<Incident> {
  const current = await loadIncident(u.trx, id);
  const refs = { ...current.external_refs, [ref.provider]: ref };
  const row = await u.trx
    .updateTable('incidents')
    .set({ external_refs: JSON.stringify(refs), updated_at: u.now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvent(u, id, 'notified', { provider: ref.provider, action, external_id: ref.id, ...(ref.key ? { external_key: ref.key } : {}) });
  return toIncident(row);
}
