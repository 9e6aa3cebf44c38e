import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The incident sync outbox (issue 18): one row per state change of a forwarded incident and provider,
 * written in the transaction of the change and drained by incidents/provider-sync.ts. Row type:
 * store/incident-tables.ts (IncidentSyncTable).
 */
export function incidentSyncMigration(dialect: StoreDialect): Migration {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('incident_sync')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        // The ExternalRef (provider id, credential) as it was when the change was made.
        .addColumn('ref', json, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('incident_sync_action_check', sql`action in ('acknowledge', 'resolve')`)
        .addCheckConstraint('incident_sync_status_check', sql`status in ('pending', 'done', 'failed')`)
        .execute();
      // The drainer reads pending rows by due time only; sent ones pile up unindexed.
      await db.schema
        .createIndex('incident_sync_pending_due_idx')
        .on('incident_sync')
        .column('due_at')
        .where(sql<boolean>`status = 'pending'`)
        .execute();
      await db.schema.createIndex('incident_sync_incident_idx').on('incident_sync').column('incident_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('incident_sync').execute();
    },
  };
}
