import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The built-in incident module (src/incidents): alerts deduplicated by key, incidents with a
 * timeline, escalation policies and the durable escalation timers. Row types: store/incident-tables.ts.
 */
export function incidentsMigration(dialect: StoreDialect): Migration {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  const severity = sql<boolean>`severity in ('critical', 'error', 'warning', 'info')`;
  const status = sql<boolean>`status in ('triggered', 'acknowledged', 'resolved')`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('escalation_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('levels', json, (c) => c.notNull())
        .addColumn('repeat', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'bigint', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('service', 'text')
        .addColumn('assignee', 'text')
        .addColumn('escalation_policy_id', 'text', (c) => c.references('escalation_policies.id').onDelete('set null'))
        .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('escalation_round', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('external_refs', json, (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addCheckConstraint('incidents_severity_check', severity)
        .addCheckConstraint('incidents_status_check', status)
        .execute();
      await db.schema.createIndex('incidents_status_idx').on('incidents').columns(['status', 'id']).execute();
      await db.schema.createIndex('incidents_service_idx').on('incidents').columns(['service', 'id']).execute();
      await db.schema
        .createIndex('incidents_idempotency_key')
        .on('incidents')
        .unique()
        .column('idempotency_key')
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('first_seen', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addColumn('payload', json)
        .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
        .addCheckConstraint('alerts_severity_check', severity)
        .addCheckConstraint('alerts_status_check', status)
        .execute();
      // At most one open alert per key: a trigger upserts against this index (ON CONFLICT with the same
      // predicate), so concurrent triggers of one key increment one row instead of racing to insert two.
      await db.schema
        .createIndex('alerts_open_dedup_key')
        .on('alerts')
        .unique()
        .column('dedup_key')
        .where(sql<boolean>`status <> 'resolved'`)
        .execute();
      await db.schema.createIndex('alerts_incident_idx').on('alerts').column('incident_id').execute();

      await db.schema
        .createTable('incident_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text')
        .addColumn('data', json)
        // The step that made the change, so a re-dispatched step does not make it twice.
        .addColumn('idempotency_key', 'text')
        .execute();
      await db.schema.createIndex('incident_events_incident_idx').on('incident_events').columns(['incident_id', 'at']).execute();
      await db.schema
        .createIndex('incident_events_idempotency_key')
        .on('incident_events')
        .unique()
        .column('idempotency_key')
        .where(sql.ref('idempotency_key'), 'is not', null)
        .execute();

      await db.schema
        .createTable('incident_timers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('repeat_round', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('data', json)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('incident_timers_status_check', sql`status in ('pending', 'done', 'cancelled')`)
        .execute();
      // The scheduler's poll reads only pending rows by due time; done/cancelled ones pile up unindexed.
      await db.schema
        .createIndex('incident_timers_pending_due_idx')
        .on('incident_timers')
        .column('due_at')
        .where(sql<boolean>`status = 'pending'`)
        .execute();
      await db.schema.createIndex('incident_timers_incident_idx').on('incident_timers').column('incident_id').execute();

      // One row per counter: `UPDATE … SET value = value + 1 RETURNING value` hands out INC numbers
      // without gaps from a MAX()+1 race (the row lock serializes PostgreSQL writers).
      await db.schema
        .createTable('incident_counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into incident_counters (name, value) values ('incident', 0)`.execute(db);
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['incident_counters', 'incident_timers', 'incident_events', 'alerts', 'incidents', 'escalation_policies']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
