import type { Kysely, Selectable } from 'kysely';
import { newId } from '../model/ids.js';
import type { EscalationStep } from './escalation-plan.js';
import type { IncidentTimersTable } from '../store/incident-tables.js';
import type { Database } from '../store/schema.js';
import type { Unit } from './unit-of-work.js';

/** Why a timer exists: the first page, a level whose delay ran out, or someone escalating by hand. */
export const TIMER_REASONS = ['initial', 'timeout', 'manual'] as const;
export type TimerReason = (typeof TIMER_REASONS)[number];

export interface EscalationTimer extends EscalationStep {
  readonly id: string;
  readonly incident_id: string;
  readonly due_at: number;
  readonly reason: TimerReason;
}

function toTimer(row: Selectable<IncidentTimersTable>): EscalationTimer {
  const data = row.data === null ? {} : (JSON.parse(row.data) as { reason?: TimerReason });
  return {
    id: row.id,
    incident_id: row.incident_id,
    due_at: Number(row.due_at),
    level: row.level,
    round: row.repeat_round,
    reason: data.reason ?? 'timeout',
  };
}

export async function scheduleTimer(u: Unit, incidentId: string, step: EscalationStep, dueAt: number, reason: TimerReason): Promise<void> {
  await u.trx
    .insertInto('incident_timers')
    .values({
      id: newId('itm', u.now),
      incident_id: incidentId,
      due_at: dueAt,
      kind: 'escalate',
      level: step.level,
      repeat_round: step.round,
      status: 'pending',
      data: JSON.stringify({ reason }),
      created_at: u.now,
    })
    .execute();
  u.timersChanged = true;
}

/** Stops an incident's escalation (acknowledge, resolve, manual escalation restarting the chain). */
export async function cancelPendingTimers(u: Unit, incidentId: string): Promise<number> {
  const res = await u.trx
    .updateTable('incident_timers')
    .set({ status: 'cancelled' })
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** pending → done; false when acknowledge/resolve cancelled it while its notifications were going out. */
export async function completeTimer(u: Unit, timerId: string): Promise<boolean> {
  const res = await u.trx.updateTable('incident_timers').set({ status: 'done' }).where('id', '=', timerId).where('status', '=', 'pending').executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function dueTimers(db: Kysely<Database>, now: number, limit: number): Promise<EscalationTimer[]> {
  const rows = await db
    .selectFrom('incident_timers')
    .selectAll()
    .where('status', '=', 'pending')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map(toTimer);
}

/**
 * Takes a due timer for this process by pushing its due time to `leaseUntil` while it stays pending.
 * The WHERE re-checks pending-and-due, so of two processes racing for one row exactly one updates it
 * (PostgreSQL re-evaluates the condition on the row the winner committed). If the winner dies before
 * completing, the row falls due again at `leaseUntil` and is fired again: pages are at-least-once,
 * because a missed page is worse than a repeated one.
 */
export async function claimTimer(db: Kysely<Database>, timerId: string, now: number, leaseUntil: number): Promise<boolean> {
  const res = await db
    .updateTable('incident_timers')
    .set({ due_at: leaseUntil })
    .where('id', '=', timerId)
    .where('status', '=', 'pending')
    .where('due_at', '<=', now)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function earliestPendingDue(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db
    .selectFrom('incident_timers')
    .select((eb) => eb.fn.min('due_at').as('due'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}
