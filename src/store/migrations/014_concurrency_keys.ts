import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/**
 * Issue 15 part 4.
 * - executions.concurrency_key: the value of the workflow's `settings.concurrency.key` template for
 *   this execution. executions.concurrency_slot: the slot (0…limit-1) it holds while unfinished.
 *   A unique index over unfinished executions makes "at most `limit` per key" a database rule, so
 *   processes sharing PostgreSQL cannot both take the last slot, and a slot frees in the very
 *   transaction that commits the execution's final status (no release step to lose in a crash).
 * - workflow_triggers.dropped_count / debounced_count: events a trigger's rate limit refused and
 *   events a debounce folded into a later one (trigger status).
 */
export function concurrencyKeysMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('executions').addColumn('concurrency_key', 'text').execute();
      await db.schema.alterTable('executions').addColumn('concurrency_slot', 'integer').execute();
      await sql`CREATE UNIQUE INDEX executions_concurrency_slot_uq ON executions (workflow_id, concurrency_key, concurrency_slot)
        WHERE concurrency_slot IS NOT NULL AND status IN ('pending', 'running', 'waiting', 'paused')`.execute(db);
      await sql`CREATE INDEX executions_concurrency_queue_idx ON executions (workflow_id, concurrency_key, created_at, id)
        WHERE concurrency_key IS NOT NULL AND status = 'pending'`.execute(db);
      await db.schema.alterTable('workflow_triggers').addColumn('dropped_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('workflow_triggers').addColumn('debounced_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`DROP INDEX executions_concurrency_queue_idx`.execute(db);
      await sql`DROP INDEX executions_concurrency_slot_uq`.execute(db);
      await db.schema.alterTable('executions').dropColumn('concurrency_slot').execute();
      await db.schema.alterTable('executions').dropColumn('concurrency_key').execute();
      await db.schema.alterTable('workflow_triggers').dropColumn('debounced_count').execute();
      await db.schema.alterTable('workflow_triggers').dropColumn('dropped_count').execute();
    },
  };
}
