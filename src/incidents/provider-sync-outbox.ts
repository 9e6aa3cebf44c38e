import type { Kysely, Selectable } from 'kysely';
import { newId } from '../model/ids.js';
import type { IncidentSyncTable, SyncAction } from '../store/incident-tables.js';
import type { Database } from '../store/schema.js';
import type { ExternalRef, Incident } from './incident-types.js';
import { appendEvent } from './timeline.js';
import type { Unit } from './unit-of-work.js';

/** One state change to send to one provider. */
export interface SyncJob {
  readonly id: string;
  readonly incident_id: string;
  readonly action: SyncAction;
  readonly ref: ExternalRef;
  /** Resolution or acknowledgement note for the provider. */
  readonly note: string | null;
  /** Attempts made before this one. */
  readonly attempts: number;
}

function toJob(row: Selectable<IncidentSyncTable>): SyncJob {
  return {
    id: row.id, incident_id: row.incident_id, action: row.action,
    ref: (typeof row.ref === 'string' ? JSON.parse(row.ref) : row.ref) as ExternalRef, note: row.note, attempts: row.attempts,
  };
}

/**
 * Queues the change for every provider the incident was forwarded to, in the transaction of the
 * change itself: committed together or not at all, so no acknowledge/resolve is lost to a crash
 * between the change and the send, whoever made it (API, UI, alert resolve, workflow step).
 */
export async function enqueueSync(u: Unit, incident: Incident, action: SyncAction, note: string | null): Promise<string[]> {
  const refs = Object.values(incident.external_refs).filter((r): r is ExternalRef => r !== undefined);
  for (const ref of refs) {
    await u.trx
      .insertInto('incident_sync')
      .values({
        id: newId('isy', u.now), incident_id: incident.id, provider: ref.provider, action, ref: JSON.stringify(ref), note,
        status: 'pending', attempts: 0, due_at: u.now, last_error: null, created_at: u.now, updated_at: u.now,
      })
      .execute();
  }
  if (refs.length > 0) u.syncChanged = true;
  return refs.map((r) => r.provider);
}

export async function dueSyncs(db: Kysely<Database>, now: number, limit: number): Promise<SyncJob[]> {
  const rows = await db.selectFrom('incident_sync').selectAll().where('status', '=', 'pending').where('due_at', '<=', now)
    .orderBy('due_at').orderBy('id').limit(limit).execute();
  return rows.map(toJob);
}

/**
 * Takes a due row for this process by pushing its due time to `leaseUntil` while it stays pending:
 * of several API processes on PostgreSQL exactly one updates it. A process killed mid-send leaves the
 * row pending, due again at `leaseUntil`: sends are at-least-once, which every provider tolerates
 * (acknowledge/resolve/close of the same key twice is a no-op there).
 */
export async function claimSync(db: Kysely<Database>, id: string, now: number, leaseUntil: number): Promise<boolean> {
  const res = await db.updateTable('incident_sync').set({ due_at: leaseUntil }).where('id', '=', id)
    .where('status', '=', 'pending').where('due_at', '<=', now).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function earliestPendingSync(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('incident_sync').select((eb) => eb.fn.min('due_at').as('due')).where('status', '=', 'pending').executeTakeFirst();
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}

/** What one send attempt came to. `retryAt` set: it failed and is due again then; unset with an error: given up. */
export interface SyncOutcome {
  readonly ok: boolean;
  readonly error?: string | undefined;
  readonly retryAt?: number | undefined;
}

/** Records an attempt on the row and on the incident's timeline (`notified` when sent, `sync_failed` otherwise). */
export async function recordSyncAttempt(u: Unit, job: SyncJob, outcome: SyncOutcome): Promise<void> {
  const attempt = job.attempts + 1;
  const status = outcome.ok ? 'done' : outcome.retryAt === undefined ? 'failed' : 'pending';
  await u.trx.updateTable('incident_sync')
    .set({ status, attempts: attempt, due_at: outcome.retryAt ?? u.now, last_error: outcome.error ?? null, updated_at: u.now })
    .where('id', '=', job.id).execute();
  const base = { provider: job.ref.provider, action: job.action, external_id: job.ref.id, attempt };
  if (outcome.ok) await appendEvent(u, job.incident_id, 'notified', base);
  else await appendEvent(u, job.incident_id, 'sync_failed', { ...base, error: outcome.error ?? 'failed', retry_at: outcome.retryAt ?? null });
  if (outcome.retryAt !== undefined) u.syncChanged = true;
}
