import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Indexes that hold only the rows their queries look for (issues 14 and 17).
 *
 * - Running steps by owner: ending a process's leases at shutdown (`releaseLeases`: `lease_owner = ?
 *   AND status = 'running'`) scanned every node run ever stored — 133 ms on the event loop with a
 *   million stored executions. Partial: it holds the steps running right now, and costs nothing for
 *   inline nodes, which are written finished.
 * - Children and retries of an execution: `parent_execution_id` and `retry_of` are NULL for almost
 *   every execution, yet each insert added an entry to both indexes (two B-tree inserts per webhook
 *   request, and their bytes per stored execution). Their queries (`= ?`, joins on equality) imply
 *   NOT NULL, so both dialects use the partial indexes.
 */
export function leanIndexesMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('node_executions_running_owner_idx')
        .on('node_executions')
        .column('lease_owner')
        .where(sql<boolean>`status = 'running'`)
        .execute();
      for (const [name, column] of PARTIAL) {
        await db.schema.dropIndex(name).execute();
        await db.schema.createIndex(name).on('executions').column(column).where(sql.ref(column), 'is not', null).execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('node_executions_running_owner_idx').ifExists().execute();
      for (const [name, column] of PARTIAL) {
        await db.schema.dropIndex(name).execute();
        await db.schema.createIndex(name).on('executions').column(column).execute();
      }
    },
  };
}

const PARTIAL = [['executions_parent_idx', 'parent_execution_id'], ['executions_retry_of_idx', 'retry_of']] as const;
