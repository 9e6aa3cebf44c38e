import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Triggers (src/triggers): a workflow_triggers row may mirror a trigger node of the active version
 * (`node_id`), so node triggers get the same status columns as API-registered ones; and
 * `trigger_ticks` is the per-tick job key that lets every server process run the same schedule
 * while only the one whose INSERT wins fires it (works alike on SQLite and PostgreSQL).
 */
export function triggersMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('workflow_triggers').addColumn('node_id', 'text').execute();
      await db.schema.createIndex('workflow_triggers_node_idx').on('workflow_triggers').columns(['workflow_id', 'node_id']).unique().execute();
      await db.schema
        .createTable('trigger_ticks')
        .addColumn('trigger_id', 'text', (c) => c.notNull())
        .addColumn('tick_at', 'bigint', (c) => c.notNull())
        .addColumn('claimed_by', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('trigger_ticks_pkey', ['trigger_id', 'tick_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('trigger_ticks').ifExists().execute();
      await db.schema.dropIndex('workflow_triggers_node_idx').ifExists().execute();
      await db.schema.alterTable('workflow_triggers').dropColumn('node_id').execute();
    },
  };
}
