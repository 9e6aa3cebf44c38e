import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The deployment ledger (src/actions/deployment): one row per deploy or rollback attempt, so the
 * deploy actions know what is live and what to roll back to. `seq` orders rows across processes
 * (ids only sort by time within one); `idempotency_key` lets a re-dispatched step find its own row.
 */
export function deploymentsMigration(dialect: StoreDialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await (pg
        ? db.schema.createTable('deployments').addColumn('seq', 'bigserial', (c) => c.primaryKey())
        : db.schema.createTable('deployments').addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('application', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('previous_version', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('rollback', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('deployments_status_check', sql`status in ('succeeded', 'failed')`)
        .execute();
      await db.schema.createIndex('deployments_app_env_seq_idx').on('deployments').columns(['application', 'environment', 'seq']).execute();
      await db.schema
        .createIndex('deployments_idempotency_key')
        .on('deployments')
        .unique()
        .column('idempotency_key')
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('deployments').execute();
    },
  };
}
