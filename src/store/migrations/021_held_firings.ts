import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Debounced trigger events, held in the database (triggers/held-firings.ts): the trigger's burst's
 * last event and when it starts. Held in memory before, a process killed within the quiet period
 * lost an event its sender had been answered 202 for, and each process of a cluster debounced alone.
 * Row type: store/trigger-tables.ts.
 */
export function heldFiringsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('trigger_held_firings')
        .addColumn('trigger_id', 'text', (c) => c.primaryKey())
        // The event's input as JSON text, as the execution will get it.
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('firing_key', 'text')
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('held_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('trigger_held_firings').execute();
    },
  };
}
