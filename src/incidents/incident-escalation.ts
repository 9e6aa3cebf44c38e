import type { Kysely } from 'kysely';
import { stepAfter, type EscalationStep } from './escalation-plan.js';
import { cancelPendingTimers, completeTimer, scheduleTimer, type EscalationTimer } from './escalation-timers.js';
import { incidentResolved } from './incident-errors.js';
import { findIncident, loadIncident } from './incident-queries.js';
import { toIncident, toPolicy } from './incident-rows.js';
import type { Database } from '../store/schema.js';
import type { EscalationPolicy, EscalationTarget, Incident } from './incident-types.js';
import { appendEvent } from './timeline.js';
import { pushHook, type Unit } from './unit-of-work.js';

/** How one page went; kept on the `notified` timeline row. */
export interface NotificationOutcome {
  readonly target: EscalationTarget;
  readonly ok: boolean;
  readonly error?: string | undefined;
}

/** What a due timer should page, or undefined when there is nothing to page any more. */
export interface Page {
  readonly incident: Incident;
  readonly targets: readonly EscalationTarget[];
}

async function findPolicy(db: Kysely<Database>, id: string | null): Promise<EscalationPolicy | undefined> {
  if (id === null) return undefined;
  const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

export async function pageFor(db: Kysely<Database>, timer: EscalationTimer): Promise<Page | undefined> {
  const incident = await findIncident(db, timer.incident_id);
  if (incident?.status !== 'triggered') return undefined;
  const level = (await findPolicy(db, incident.escalation_policy_id))?.levels[timer.level];
  return level ? { incident, targets: level.targets } : undefined;
}

/**
 * Escalates by hand to the level after the current one (past the last level: the next round, or the
 * last level again once the rounds are used up), paging it now. An acknowledged incident goes back to
 * triggered: the people paged are asked to act. Without a policy only the level number moves.
 */
export async function escalateIncident(u: Unit, id: string, reason?: string): Promise<Incident> {
  const current = await loadIncident(u.trx, id);
  if (current.status === 'resolved') throw incidentResolved(id, 'escalate');
  const policy = await findPolicy(u.trx, current.escalation_policy_id);
  const from: EscalationStep = { level: current.escalation_level, round: current.escalation_round };
  const to = policy ? (stepAfter(policy, from)?.step ?? from) : { level: from.level + 1, round: from.round };
  const row = await u.trx
    .updateTable('incidents')
    .set({ status: 'triggered', escalation_level: to.level, escalation_round: to.round, updated_at: u.now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const incident = toIncident(row);
  const data = { from_level: from.level, level: to.level, round: to.round, reason: reason ?? null, manual: true };
  await appendEvent(u, id, 'escalated', data);
  if (policy) {
    await cancelPendingTimers(u, id);
    await scheduleTimer(u, id, to, u.now, 'manual');
  }
  pushHook(u, 'incident.escalated', incident, data);
  return incident;
}

/**
 * Records a fired timer after its pages went out: the timer is done, the level paged becomes the
 * incident's (`escalated` when it was reached by delay), one `notified` row per target, and the next
 * step's timer. A timer cancelled meanwhile (acknowledged while paging) keeps only the `notified` rows.
 */
export async function completeEscalation(u: Unit, timer: EscalationTimer, outcomes: readonly NotificationOutcome[]): Promise<void> {
  const live = await completeTimer(u, timer.id);
  const current = await findIncident(u.trx, timer.incident_id);
  if (!current) return;
  const policy = await findPolicy(u.trx, current.escalation_policy_id);
  const step = { level: timer.level, round: timer.round };
  const proceed = live && current.status === 'triggered' && policy?.levels[timer.level] !== undefined;
  if (proceed) {
    const row = await u.trx
      .updateTable('incidents')
      .set({ escalation_level: step.level, escalation_round: step.round, updated_at: u.now })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (timer.reason === 'timeout') {
      const data = { from_level: current.escalation_level, level: step.level, round: step.round, reason: 'timeout' };
      await appendEvent(u, current.id, 'escalated', data);
      pushHook(u, 'incident.escalated', toIncident(row), data);
    }
  }
  for (const o of outcomes) {
    await appendEvent(u, current.id, 'notified', { level: step.level, round: step.round, target: o.target, ok: o.ok, ...(o.error ? { error: o.error } : {}) });
  }
  const next = proceed && policy ? stepAfter(policy, step) : undefined;
  if (next) await scheduleTimer(u, current.id, next.step, u.now + next.delayMs, 'timeout');
}
