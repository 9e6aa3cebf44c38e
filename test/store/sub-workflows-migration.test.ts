import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/engine/store-port.js';
import { openStore, type Store } from '../../src/store/connect.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { EXECUTION_COLUMNS, executionValues } from '../../src/store/engine-rows.js';
import { migrateTo } from '../../src/store/migrations/index.js';
import { POSTGRES_URL } from '../support/dialects.js';
import { DIALECTS, execution } from './fixtures.js';

// Columns 013 and later migrations add: a version-012 row has none of them.
const SINCE_013 = new Set(['parent_execution_id', 'parent_node_id', 'parent_run_id', 'depth', 'retry_of', 'concurrency_key']);

/** A row as version 012 wrote it: no parent, depth or retry columns. */
function oldRow(x: ExecutionRecord): Record<string, unknown> {
  const values = executionValues(x);
  const pairs: Array<[string, unknown]> = EXECUTION_COLUMNS.map((c, i) => [c, values[i]]);
  return Object.fromEntries(pairs.filter(([c]) => !SINCE_013.has(c)));
}

/** A database migrated to 012 holding an execution, then opened by this version (which runs 013). */
async function previousVersionStore(dialect: StoreDialect, rows: ExecutionRecord[]): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const fill = async (db: Kysely<never>) => {
    await (db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto('executions').values(rows.map(oldRow)).execute();
  };
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'itw-013-'));
    const db = new Kysely<never>({ dialect: new SqliteDialect({ database: new SqliteDatabase(join(dataDir, 'itw.sqlite')) }) });
    await migrateTo(db, 'sqlite', '012_incident_sync');
    await fill(db);
    await db.destroy();
    const store = await openStore({ dataDir });
    return { store, dispose: async () => { await store.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const schema = `itw_m13_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
  await pool.query(`CREATE SCHEMA ${schema}`);
  const db = new Kysely<never>({ dialect: new PostgresDialect({ pool }) });
  await migrateTo(db, 'postgres', '012_incident_sync', schema);
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

describe.each(DIALECTS)('migration 013 on a database of the previous version (%s)', (dialect) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => { for (const d of disposers) await d(); });

  it('reads old executions as top-level (no parent, depth 0, not a retry) and stores linked children', async () => {
    const old = execution('ex_old', { status: 'completed', finished_at: 1_700_000_000_100, output: { done: true } });
    const { store, dispose } = await previousVersionStore(dialect, [old]);
    disposers.push(dispose);
    expect(await store.engine.getExecution('ex_old')).toEqual(old);
    const child = execution('ex_child', { parent_execution_id: 'ex_old', parent_node_id: 'sub', parent_run_id: 'run_1', depth: 1 });
    const retry = execution('ex_retry', { retry_of: 'ex_old' });
    await store.engine.commit([
      { executionId: child.id, insertExecution: child, insertRuns: [], updateRuns: [], logs: [] },
      { executionId: retry.id, insertExecution: retry, insertRuns: [], updateRuns: [], logs: [] },
    ]);
    expect(await store.engine.getExecution('ex_child')).toEqual(child);
    expect(await store.engine.getExecution('ex_retry')).toEqual(retry);
  });
});
