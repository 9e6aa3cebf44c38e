import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { queryDatabaseAction } from './query-database-action.js';
import { POSTGRES_URL as PG_URL } from '../../../test/support/dialects.js';
import { testServices } from '../../../test/support/loopback-egress.js';

const MARIADB_URL = process.env['ITW_TEST_MARIADB_URL'] ?? 'mariadb://root@127.0.0.1:3306/test';
const dir = mkdtempSync(join(tmpdir(), 'itw-query-'));
const sqliteFile = join(dir, 'app.db');

type Params = Parameters<typeof queryDatabaseAction.run>[0]['params'];
const ctx = (params: Params, url?: string) => {
  const credentials: CredentialResolver = { get: (id, types) => Promise.resolve({ id, type: types?.[0] ?? '', data: { url: url ?? '' } }) };
  return { params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials, services: testServices() };
};

const engines = [
  { name: 'postgres', url: PG_URL, p: (n: number) => `$${n}`, sleep: 'SELECT pg_sleep(5)', missing: 'relation "nope" does not exist' },
  { name: 'mariadb', url: MARIADB_URL, p: () => '?', sleep: 'SELECT SLEEP(5)', missing: "Table 'test.nope' doesn't exist" },
  { name: 'sqlite', url: `sqlite:${sqliteFile}`, p: () => '?', sleep: undefined, missing: 'no such table: nope' },
] as const;

beforeAll(() => writeFileSync(sqliteFile, ''));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(engines)('query_database on $name', ({ url, p, sleep, missing }) => {
  const table = `itw_q_${randomBytes(4).toString('hex')}`;
  const run = (sql: string, extra: Partial<Params> = {}) => queryDatabaseAction.run(ctx({ database_url: url, sql, ...extra }));

  beforeAll(async () => {
    await run(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL)`);
  });
  afterAll(async () => {
    await run(`DROP TABLE ${table}`);
  });

  it('binds params: an injection-looking string is stored literally', async () => {
    const evil = `x'); DROP TABLE ${table}; --`;
    const inserted = await run(`INSERT INTO ${table} (id, name) VALUES (${p(1)}, ${p(2)})`, { params: [1, evil] });
    expect(inserted).toMatchObject({ rows: [], row_count: 0, affected_rows: 1 });
    const out = await run(`SELECT id, name FROM ${table} WHERE name = ${p(1)}`, { params: [evil] });
    expect(out).toMatchObject({ rows: [{ id: 1, name: evil }], row_count: 1, truncated: false });
    expect(out.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('caps the rows at max_rows and says so', async () => {
    for (let id = 2; id <= 6; id++) await run(`INSERT INTO ${table} (id, name) VALUES (${p(1)}, ${p(2)})`, { params: [id, `n${id}`] });
    const capped = await run(`SELECT id FROM ${table} ORDER BY id`, { max_rows: 3 });
    expect(capped).toMatchObject({ rows: [{ id: 1 }, { id: 2 }, { id: 3 }], row_count: 3, truncated: true });
    const all = await run(`SELECT id FROM ${table} ORDER BY id`, { max_rows: 6 });
    expect(all).toMatchObject({ row_count: 6, truncated: false });
  });

  it("fails with sql_error carrying the database's message", async () => {
    const failing = run('SELECT * FROM nope');
    await expect(failing).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failing).rejects.toMatchObject({ code: 'sql_error', message: expect.stringContaining(missing) });
  });

  it('reads the URL from a database credential', async () => {
    const out = await queryDatabaseAction.run(ctx({ credential_id: 'db', sql: `SELECT count(*) AS n FROM ${table}` }, url));
    expect(Number(out.rows[0]?.['n'])).toBe(6);
  });

  // SQLite cannot sleep; its runaway-statement test is below.
  if (sleep !== undefined) it('times out with a retryable error', async () => {
    const err = await run(sleep, { timeout_seconds: 1 }).then(
      () => expect.fail('expected a timeout'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).toMatchObject({ code: 'timeout' });
  });
});

describe('query_database on sqlite', () => {
  it('kills a runaway statement at the timeout', async () => {
    const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    await expect(queryDatabaseAction.run(ctx({ database_url: `sqlite:${sqliteFile}`, sql: runaway, timeout_seconds: 1 }))).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });

  it('plans without the password', () => {
    expect(queryDatabaseAction.plan?.(ctx({ database_url: 'postgres://app:hunter2@db.local/shop', sql: 'SELECT  1' }))).toBe('query db shop@db.local: SELECT 1');
  });
});
