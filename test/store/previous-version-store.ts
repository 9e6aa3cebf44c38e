import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from '../../src/store/sqlite-driver.js';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/connect.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { migrateTo } from '../../src/store/migrations/index.js';
import { OneSchemaPostgresDialect } from '../../src/store/one-schema-introspector.js';
import { POSTGRES_URL } from '../support/dialects.js';

export interface PreviousVersionStore {
  /** Opened by this version: the migrations after `upTo` have run. */
  readonly store: Store;
  /** SQLite: the database file. */
  readonly file?: string;
  readonly dispose: () => Promise<void>;
}

/**
 * A database migrated up to `upTo` (the previous version's schema), filled by `fill` as that version
 * wrote it, then opened by this version, which migrates it forward. SQLite in a temporary data dir
 * (WAL, as a server leaves it); PostgreSQL in a schema of its own, dropped by `dispose`.
 */
export async function previousVersionStore(dialect: StoreDialect, upTo: string, fill: (db: Kysely<never>) => Promise<void>): Promise<PreviousVersionStore> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'itw-migrate-'));
    const file = join(dataDir, 'itw.sqlite');
    const raw = new SqliteDatabase(file);
    raw.pragma('journal_mode = WAL');
    const db = new Kysely<never>({ dialect: new SqliteDialect({ database: raw }) });
    await migrateTo(db, 'sqlite', upTo);
    await fill(db);
    await db.destroy();
    const store = await openStore({ dataDir });
    return { store, file, dispose: async () => { await store.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const schema = `itw_migrate_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
  await pool.query(`CREATE SCHEMA ${schema}`);
  // As the store opens it: introspection confined to its schema (another suite may drop its own meanwhile).
  const db = new Kysely<never>({ dialect: new OneSchemaPostgresDialect({ pool }, schema) });
  await migrateTo(db, 'postgres', upTo, schema);
  await fill(db);
  await db.destroy();
  const store = await openStore({ databaseUrl: POSTGRES_URL, dataDir: tmpdir(), schema });
  return {
    store,
    dispose: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`).finally(() => c.end());
    },
  };
}
