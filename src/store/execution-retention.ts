import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import { turnOfEventLoop } from './event-loop-turn.js';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export interface PruneOptions {
  /**
   * Executions examined per chunk. Each chunk is one short write transaction, and the event loop
   * gets a turn between chunks: on SQLite (synchronous) a chunk is a stall for every request, so it
   * must stay well under 20 ms. Measured with the history bench (docs/BENCHMARKS.md): 100 took up
   * to 20-27 ms on a busy box.
   * @default 50
   */
  readonly batchSize?: number;
  /** SQLite gives the freed pages back to the file system as it goes (auto_vacuum = INCREMENTAL). */
  readonly dialect?: StoreDialect;
  /** Awaited between chunks (Store.pace): a turn of the event loop, and on SQLite the WAL checkpoint catching up. */
  readonly pace?: () => Promise<void>;
}

/** Pages handed back per chunk: bounded work, like the delete before it. */
const VACUUM_PAGES_PER_CHUNK = 128;


/**
 * Deletes finished executions (completed, failed, cancelled) that finished before `before`, with
 * their node runs and logs (foreign keys cascade) and the per-host results of their fleet steps. Walks executions in id order, which is creation
 * order (model/ids.ts): the expired ones are at the start, so it stops at the first chunk created
 * entirely after `before` instead of scanning a million rows to find nothing. Execution rows still
 * unfinished are stepped over. Metrics rollups are kept: metrics count pruned executions too.
 * Returns how many executions went.
 */
export async function pruneFinishedExecutions(db: Kysely<Database>, before: number, opts: PruneOptions = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 50;
  const pace = opts.pace ?? turnOfEventLoop;
  let total = 0;
  let cursor = '';
  for (;;) {
    const rows = await db
      .selectFrom('executions')
      .select(['id', 'status', 'created_at', 'finished_at'])
      .where('id', '>', cursor)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    const expired = rows.filter((r) => FINAL.has(r.status) && r.finished_at !== null && r.finished_at < before).map((r) => r.id);
    if (expired.length > 0) {
      await db.deleteFrom('executions').where('id', 'in', expired).execute();
      // Fleet host results are keyed `<execution>:<node>:<scope>:<attempt>:…` (no foreign key): a range per execution, on the primary key.
      await db.deleteFrom('fleet_host_results').where((eb) => eb.or(expired.map((id) => eb.and([eb('step_key', '>=', `${id}:`), eb('step_key', '<', `${id};`)])))).execute();
      total += expired.length;
      if (opts.dialect === 'sqlite') await sql`PRAGMA incremental_vacuum(${sql.raw(String(VACUUM_PAGES_PER_CHUNK))})`.execute(db);
    }
    await pace();
    if (rows.every((r) => r.created_at >= before)) break;
  }
  if (opts.dialect === 'sqlite') await returnFreePages(db, pace);
  return total;
}

/** The rest of the free list, a bounded step at a time. PostgreSQL's autovacuum does this on its own. */
async function returnFreePages(db: Kysely<Database>, pace: () => Promise<void>): Promise<void> {
  for (;;) {
    const free = await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(db);
    if (Number(free.rows[0]?.freelist_count ?? 0) === 0) return;
    await sql`PRAGMA incremental_vacuum(${sql.raw(String(VACUUM_PAGES_PER_CHUNK))})`.execute(db);
    await pace();
  }
}
