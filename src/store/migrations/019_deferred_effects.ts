import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The journal of commit effects not yet applied (issue 14, deferred-effects.ts). An engine commit
 * used to write the audit entries of the executions it started and the three metrics rollups of
 * those it finished in its own transaction: on PostgreSQL more than half of the database's CPU per
 * webhook, on SQLite 4 of the ~15 pages a one-request commit wrote. Now the commit writes one row here
 * (same transaction, so exactly as durable), and a flusher applies many commits' rows at once and
 * deletes them in one transaction: applied exactly once, whichever process flushes.
 */
export function deferredEffectsMigration(dialect: StoreDialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('deferred_effects')
        // SQLite: a rowid alias without AUTOINCREMENT (no sqlite_sequence write per commit).
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('effects', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('deferred_effects').execute();
    },
  };
}
