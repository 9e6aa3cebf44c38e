import type { Kysely, Transaction } from 'kysely';
import type { IncidentHookEvent, IncidentHookType } from './incident-hooks.js';
import type { Database } from '../store/schema.js';
import type { Incident } from './incident-types.js';

/** Who makes a change, and the step key that makes repeating it a no-op. */
export interface WriteOptions {
  /** User, `execution:<id>`... recorded on timeline rows. */
  readonly actor?: string | undefined;
  /**
   * A workflow step's key: stored on the first timeline row the change writes, so the same step run
   * again (re-dispatch after a crash, a retry) finds it and changes nothing.
   */
  readonly idempotencyKey?: string | undefined;
}

/**
 * One transaction's worth of incident changes. Listeners and the escalation scheduler must only
 * hear about committed changes, so hooks and timer changes are collected here and released by
 * runUnit after COMMIT.
 */
export interface Unit {
  readonly trx: Transaction<Database>;
  readonly now: number;
  readonly actor: string | null;
  /** Consumed by the first timeline row written (timeline.ts). */
  idempotencyKey: string | undefined;
  readonly hooks: IncidentHookEvent[];
  /** A timer was scheduled: the scheduler should look again now rather than at its next poll. */
  timersChanged: boolean;
  /** A provider sync was queued (provider-sync-outbox.ts): the drainer should look now. */
  syncChanged: boolean;
}

export interface UnitResult<T> {
  readonly value: T;
  readonly hooks: readonly IncidentHookEvent[];
  readonly timersChanged: boolean;
  readonly syncChanged: boolean;
}

export async function runUnit<T>(db: Kysely<Database>, now: number, opts: WriteOptions, fn: (u: Unit) => Promise<T>): Promise<UnitResult<T>> {
  let unit: Unit | undefined;
  const value = await db.transaction().execute(async (trx) => {
    unit = { trx, now, actor: opts.actor ?? null, idempotencyKey: opts.idempotencyKey, hooks: [], timersChanged: false, syncChanged: false };
    return fn(unit);
  });
  return { value, hooks: unit?.hooks ?? [], timersChanged: unit?.timersChanged ?? false, syncChanged: unit?.syncChanged ?? false };
}

export function pushHook(u: Unit, type: IncidentHookType, incident: Incident, data: Record<string, unknown> = {}): void {
  u.hooks.push({ type, incident, at: u.now, actor: u.actor, data });
}
