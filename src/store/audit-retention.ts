import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { turnOfEventLoop } from './event-loop-turn.js';


/**
 * Deletes audit entries older than `before` (epoch ms), oldest first, `batchSize` at a time with a
 * turn of the event loop (Store.pace) between chunks (on SQLite each chunk is a synchronous stall). The audit log
 * gains an entry per execution start, so without a horizon it grows with history forever; the
 * horizon is the operator's (ITW_AUDIT_RETENTION_DAYS, 0 keeps every entry). Returns how many went.
 */
export async function pruneAuditLog(db: Kysely<Database>, before: number, opts: { batchSize?: number; pace?: () => Promise<void> } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  const pace = opts.pace ?? turnOfEventLoop;
  let total = 0;
  for (;;) {
    const ids = (await db.selectFrom('audit_log').select('id').where('ts', '<', before).orderBy('ts').limit(batchSize).execute()).map((r) => r.id);
    if (ids.length === 0) return total;
    await db.deleteFrom('audit_log').where('id', 'in', ids).execute();
    total += ids.length;
    await pace();
  }
}
