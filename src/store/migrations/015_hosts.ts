import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The host inventory and fleet results (issue 15 part 5). `hosts`: where fleet steps connect
 * (tags and attributes as JSON text). `fleet_host_results`: one row per host a fleet step finished,
 * keyed by the step's idempotency key, written as each host ends, so a re-dispatched step (after
 * kill -9) runs only the hosts without one; retention deletes them with their execution (a key range on
 * the primary key). Row types: store/host-tables.ts.
 */
export function hostsMigration(dialect: StoreDialect): Migration {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('hosts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('tags', json, (c) => c.notNull())
        .addColumn('ssh_credential_id', 'text', (c) => c.notNull())
        .addColumn('attributes', json, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('fleet_host_results')
        .addColumn('step_key', 'text', (c) => c.notNull())
        .addColumn('host_name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result', json, (c) => c.notNull())
        .addColumn('finished_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('fleet_host_results_pk', ['step_key', 'host_name'])
        .addCheckConstraint('fleet_host_results_status_check', sql`status in ('succeeded', 'failed')`)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('fleet_host_results').execute();
      await db.schema.dropTable('hosts').execute();
    },
  };
}
