import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The running steps a process holds, found without reading the history (issue 17): ending an
 * owner's leases at shutdown (`releaseLeases`: `lease_owner = ? AND status = 'running'`) scanned
 * every node run ever stored — 133 ms on the event loop with a million stored executions. Partial,
 * so it holds only the steps running right now and costs nothing for the inline nodes that are
 * written finished.
 */
export function runningLeasesMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('node_executions_running_owner_idx')
        .on('node_executions')
        .column('lease_owner')
        .where(sql<boolean>`status = 'running'`)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('node_executions_running_owner_idx').ifExists().execute();
    },
  };
}
