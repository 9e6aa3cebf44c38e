import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Deletes finished executions (completed, failed, cancelled) that finished before `before`, with
 * their node runs and logs (foreign keys cascade). Works in batches so a large backlog never holds
 * one long write transaction. Returns how many executions went.
 */
export async function pruneFinishedExecutions(db: Kysely<Database>, before: number, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await db
      .selectFrom('executions')
      .select('id')
      .where('status', 'in', ['completed', 'failed', 'cancelled'])
      .where('finished_at', '<', before)
      .limit(batchSize)
      .execute();
    if (ids.length === 0) return total;
    await db.deleteFrom('executions').where('id', 'in', ids.map((r) => r.id)).execute();
    total += ids.length;
  }
}
