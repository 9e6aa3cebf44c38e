import { mkdirSync, statfsSync } from 'node:fs';
import { makePrivateDir, makePrivateFile } from './private-dir.js';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import SqliteDatabase from './sqlite-driver.js';
import { Kysely, SqliteDialect, type SqliteDialectConfig } from 'kysely';
import { OneSchemaPostgresDialect } from './one-schema-introspector.js';
import type pg from 'pg';
import type { EngineStore } from '../engine/store-port.js';
import { ItwError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import type { StoreDialect } from './dialect.js';
import { PostgresEngineStore } from './engine-store-postgres.js';
import { SqliteEngineStore } from './engine-store-sqlite.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { EffectsFlusher } from './deferred-effects.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';
import { WorkflowRepository } from './workflow-repository.js';
import { turnOfEventLoop } from './event-loop-turn.js';

export interface OpenStoreOptions {
  /**
   * `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:<path>` (`sqlite::memory:` too) a
   * given SQLite file. @default undefined: SQLite at `<dataDir>/itw.sqlite`
   */
  readonly databaseUrl?: string;
  /** Directory for the embedded database; created when missing. */
  readonly dataDir: string;
  /**
   * PostgreSQL only: schema holding every table, created when missing and set as each connection's
   * search_path. Tests give each file its own. @default undefined: the server's search_path (public)
   */
  readonly schema?: string;
  /** Where the store's background work (the effects journal's flusher) reports trouble. @default silent */
  readonly logger?: Logger;
}

export interface Store {
  readonly dialect: StoreDialect;
  /** For repositories added later; the engine and the workflow repository go through the fields below. */
  readonly db: Kysely<Database>;
  readonly engine: EngineStore;
  readonly workflows: WorkflowRepository;
  /** PostgreSQL only: what cluster mode needs (the pool for graphile-worker, the store to attach it to). */
  readonly postgres?: { readonly pool: pg.Pool; readonly engine: PostgresEngineStore; readonly connectionString: string; readonly schema: string | undefined };
  /**
   * Bulk background writers (retention) await this between chunks. SQLite: waits while the WAL
   * checkpoint, which runs off the event loop, is far behind (sqlite-checkpointer.ts), so bulk deletes
   * never grow the WAL to where a checkpoint would run on the event loop. PostgreSQL: a turn of the loop.
   */
  readonly pace: () => Promise<void>;
  /**
   * Resolves once the audit entries and metrics rollups of every engine commit made before the call
   * are applied (they are journaled by the commit and applied in batches: deferred-effects.ts).
   * Readers of the metrics and the audit log call it first.
   */
  settleEffects(): Promise<void>;
  /** One round trip that fails while the database is down or (SQLite) cannot write: what availability.ts probes with. */
  probe(): Promise<void>;
  /** Closes the database handle or pool. */
  close(): Promise<void>;
}

/** Opens the database selected by the options and migrates it to the latest schema. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const url = opts.databaseUrl?.trim() ?? '';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, opts.schema, opts.logger);
  if (url === '') {
    makePrivateDir(opts.dataDir);
    const file = join(opts.dataDir, 'itw.sqlite');
    makePrivateFile(file);
    return openSqlite(file, opts.logger);
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return openSqlite(path.startsWith('//') ? path.slice(2) : path, opts.logger);
  }
  throw new ItwError('config_invalid', `unsupported database URL scheme in ${url.split(':')[0] ?? url}: use postgres://, postgresql:// or sqlite:`);
}

async function openSqlite(file: string, logger: Logger | undefined): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  // Retention gives freed pages back to the file system (execution-retention.ts). Takes effect here
  // only while the file has no table yet; migration 011 switches an existing database with a VACUUM.
  raw.pragma('auto_vacuum = INCREMENTAL');
  // WAL + NORMAL: commits append to the WAL without an fsync each (durable across process crashes,
  // which is what kill -9 tests; a power cut may lose the last commits but never corrupts).
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed, not left in free pages: a secret sealed into the vault
  // after it was stored in clear (or a redacted value) must not linger in the database file. FAST
  // zeroes it in the pages being written anyway: ON also rewrote freed pages and cost the webhook
  // path a third of its throughput (npm run bench -- triggers, 50 conn: 1,337 vs 2,137 req/s).
  raw.pragma('secure_delete = FAST');
  raw.pragma('busy_timeout = 5000');
  // Checkpoints run off the event loop (sqlite-checkpointer.ts); the automatic one, inside a commit on
  // the event loop, only if the WAL reaches ~200 MB (the worker stopped). The size limit truncates the
  // WAL back after a checkpoint so the file does not stay at its high-water mark.
  const offLoop = file !== ':memory:';
  raw.pragma(`wal_autocheckpoint = ${offLoop ? 50_000 : 10_000}`);
  raw.pragma('journal_size_limit = 67108864');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // Started after the migrations: a migration's VACUUM wants the file to itself.
  const checkpointer = offLoop ? new SqliteCheckpointer(file) : undefined;
  const engine = new SqliteEngineStore(db, raw);
  // Often, so each flush (on the event loop) is short: ~100 webhook executions at full load.
  const effects = new EffectsFlusher(engine, SQLITE_FLUSH_MS, logger);
  return {
    dialect: 'sqlite',
    db,
    engine,
    settleEffects: () => effects.settle(),
    workflows: new WorkflowRepository(db),
    probe: () => new Promise<void>((resolve) => { probeSqliteWrite(raw, file === ':memory:' ? undefined : dirname(file)); resolve(); }),
    pace: async () => {
      await turnOfEventLoop();
      await checkpointer?.caughtUp();
    },
    close: async () => {
      await effects.stop();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

const PROBE_FREE_BYTES = 1 << 20;
/** How often a SQLite store applies its effects journal (deferred-effects.ts); PostgreSQL's flushes run off the loop, every 250 ms. */
const SQLITE_FLUSH_MS = 50;

/**
 * Reads prove nothing on a full disk: rewriting the header's user_version (unused by our migrations)
 * appends a WAL frame, so it fails with SQLITE_FULL until space returns.
 */
function probeSqliteWrite(raw: BetterSqlite3.Database, dir: string | undefined): void {
  // A rolled-back commit can leave room for the probe's one page but not for real work: the disk
  // counts as full until it has a margin again.
  if (dir !== undefined) {
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize < PROBE_FREE_BYTES) throw Object.assign(new Error(`less than ${PROBE_FREE_BYTES} bytes free on ${dir}`), { code: 'SQLITE_FULL' });
  }
  // A Kysely transaction may be open on this connection across an await: never touch it, probe later.
  if (raw.inTransaction) throw new Error('a transaction is open; probing again later');
  const v = Number(raw.pragma('user_version', { simple: true }));
  raw.exec('BEGIN IMMEDIATE');
  try {
    raw.pragma(`user_version = ${v}`);
    raw.exec('COMMIT');
  } catch (err) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw err;
  }
}


const STATEMENT_CACHE_MAX = 1000;

/**
 * Kysely's SQLite driver prepares every query anew; preparing cost ~10% of the API's CPU under load
 * (bench/api-bench.ts, --cpu-prof). Statements are reused by SQL text: better-sqlite3 runs them
 * synchronously (no interleaving) and re-prepares them itself after a schema change. Bounded, since
 * `IN (...)` lists of varying length make distinct texts.
 */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = raw.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_MAX) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/**
 * Per-pool type parsers (not pg's global ones, which other code in the process may rely on):
 * int8 as a JS number, since all our BIGINTs are epoch ms or counters far below 2^53; JSON/JSONB as
 * raw text, so readers parse it exactly like SQLite's TEXT column (see schema.ts).
 */
function pgTypes(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (v: string) => Number(v);
      if (oid === JSON_OID || oid === JSONB_OID) return (v: string) => v;
      return types.getTypeParser(oid, format) as (v: string) => unknown;
    }) as typeof types.getTypeParser,
  };
}

async function openPostgres(connectionString: string, schema: string | undefined, logger: Logger | undefined): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ItwError('config_invalid', `invalid PostgreSQL schema name: ${schema}`);
  }
  // pg is loaded only when the store is PostgreSQL: a SQLite instance never needs it (issue 14, idle RSS).
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    types: pgTypes(pg.types),
    // Without it a connect to an unreachable host waits for the OS (minutes) while requests pile up.
    connectionTimeoutMillis: 10_000,
    // Set at connection start-up, so every pooled connection sees it before its first query.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client dying (server restart, network) is emitted on the pool, which already drops that
  // client; without a listener the 'error' event would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  // Likewise for a checked-out client's connection dying between queries (graphile-worker checks this).
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new OneSchemaPostgresDialect({ pool }, schema ?? 'public') });
  try {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrateToLatest(db, 'postgres', schema);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const engine = new PostgresEngineStore(db, pool);
  const effects = new EffectsFlusher(engine, undefined, logger);
  return {
    dialect: 'postgres',
    db,
    engine,
    settleEffects: () => effects.settle(),
    postgres: { pool, engine, connectionString, schema },
    workflows: new WorkflowRepository(db),
    probe: async () => void (await pool.query('select 1')),
    pace: turnOfEventLoop,
    close: async () => {
      await effects.stop();
      await db.destroy();
    },
  };
}
