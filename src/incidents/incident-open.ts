import { newId } from '../model/ids.js';
import { scheduleTimer } from './escalation-timers.js';
import { invalidInput, policyNotFound } from './incident-errors.js';
import { nextIncidentNumber } from './incident-numbers.js';
import { toIncident } from './incident-rows.js';
import { SEVERITIES, type Incident, type Severity } from './incident-types.js';
import { appendEvent } from './timeline.js';
import { pushHook, type Unit } from './unit-of-work.js';

export interface NewIncident {
  readonly title: string;
  readonly description?: string | undefined;
  readonly severity: Severity;
  readonly service?: string | undefined;
  readonly assignee?: string | undefined;
  /** Pages level 0 at once and escalates from there. */
  readonly escalation_policy_id?: string | undefined;
}

/**
 * Inserts a triggered incident with its `triggered` timeline row and, with a policy, the level-0 timer
 * due now: the scheduler pages level 0 right after the commit, and a crash in between only delays it.
 * The unit's step key goes on the incident row: that step created it.
 */
export async function openIncident(u: Unit, input: NewIncident, alertId?: string): Promise<Incident> {
  // The API and the actions check their schemas; this guards direct callers (alert trigger, embedding).
  if (input.title.trim() === '') throw invalidInput('invalid_incident', 'incident title is required', '/title');
  if (!SEVERITIES.includes(input.severity)) throw invalidInput('invalid_incident', `incident severity must be one of ${SEVERITIES.join(', ')}`, '/severity');
  const idempotencyKey = u.idempotencyKey ?? null;
  u.idempotencyKey = undefined;
  const policyId = input.escalation_policy_id ?? null;
  if (policyId !== null) {
    const policy = await u.trx.selectFrom('escalation_policies').select('id').where('id', '=', policyId).executeTakeFirst();
    if (!policy) throw policyNotFound(policyId);
  }
  const row = {
    id: newId('inc', u.now),
    number: await nextIncidentNumber(u),
    title: input.title,
    description: input.description ?? null,
    severity: input.severity,
    status: 'triggered' as const,
    service: input.service ?? null,
    assignee: input.assignee ?? null,
    escalation_policy_id: policyId,
    escalation_level: 0,
    escalation_round: 0,
    external_refs: '{}',
    idempotency_key: idempotencyKey,
    created_at: u.now,
    updated_at: u.now,
    acknowledged_at: null,
    resolved_at: null,
  };
  await u.trx.insertInto('incidents').values(row).execute();
  const incident = toIncident(row);
  const data = { severity: incident.severity, ...(alertId ? { alert_id: alertId } : {}) };
  await appendEvent(u, incident.id, 'triggered', data);
  if (incident.assignee !== null) await appendEvent(u, incident.id, 'assigned', { assignee: incident.assignee });
  if (policyId !== null) await scheduleTimer(u, incident.id, { level: 0, round: 0 }, u.now, 'initial');
  pushHook(u, 'incident.created', incident, data);
  return incident;
}
