import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Pending approvals are listed by scanning the waiting node executions (approval-queries.ts). Without
 * an index that is a scan of every node execution ever kept; waiting rows are few at any moment, so a
 * partial index holds just them. (node_executions_wake_idx does not cover it: approvals that wait
 * forever have no wake_at.)
 */
export function approvalsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('node_executions_waiting_idx')
        .on('node_executions')
        .column('execution_id')
        .where(sql<boolean>`status = 'waiting'`)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('node_executions_waiting_idx').ifExists().execute();
    },
  };
}
