import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Scale-out (docs/DEPLOYMENT.md): `executions.revision` is the optimistic-concurrency check every
 * engine process makes when it commits a transition of an execution another process may also be
 * advancing; `cluster_members` holds each API/worker process's heartbeat, so a dead worker's
 * graphile-worker jobs can be unlocked within seconds instead of graphile's hours.
 */
export function clusterMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('executions').addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('cluster_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
        .addColumn('queue_worker_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('cluster_members').ifExists().execute();
      await db.schema.alterTable('executions').dropColumn('revision').execute();
    },
  };
}
