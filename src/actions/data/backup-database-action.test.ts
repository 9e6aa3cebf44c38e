import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from '../../store/sqlite-driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { backupDatabaseAction } from './backup-database-action.js';
import { queryDatabaseAction } from './query-database-action.js';
import { POSTGRES_URL as PG_URL } from '../../../test/support/dialects.js';
import { createDatabase } from '../../../test/support/pg-schema.js';
import { testServices } from '../../../test/support/loopback-egress.js';

const MARIADB_URL = process.env['ITW_TEST_MARIADB_URL'] ?? 'mariadb://root@127.0.0.1:3306/test';
const dir = mkdtempSync(join(tmpdir(), 'itw-backup-'));
const table = `itw_b_${randomBytes(4).toString('hex')}`;

const credentials = (url: string): CredentialResolver => ({ get: (id) => Promise.resolve({ id, type: 'database', data: { url } }) });
const ctx = <P>(params: P, url = '') => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: credentials(url), services: testServices() });
/** Without `targets`: one backup's result, not a fleet outcome. */
type OneBackup = Extract<Awaited<ReturnType<typeof backupDatabaseAction.run>>, { file: string }>;
const backup = async (params: Parameters<typeof backupDatabaseAction.run>[0]['params'], url = '') => (await backupDatabaseAction.run(ctx(params, url))) as OneBackup;
const sql = (database_url: string, statement: string) => queryDatabaseAction.run(ctx({ database_url, sql: statement }));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup_database', () => {
  it('backs up SQLite with the online backup API into a file that opens with the data', async () => {
    const source = join(dir, 'app.db');
    const db = new Database(source);
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders (item) VALUES ('disk'), ('fan');");
    db.close();
    const out = await backup({ database_url: `sqlite:${source}`, destination_dir: join(dir, 'sqlite') });
    expect(out).toMatchObject({ engine: 'sqlite', file: expect.stringMatching(/sqlite\/app-\d{8}T\d{9}Z\.sqlite$/) });
    expect(out.sha256).toBe(execFileSync('sha256sum', [out.file], { encoding: 'utf8' }).split(' ')[0]);
    const copy = new Database(out.file, { readonly: true });
    expect(copy.prepare('SELECT item FROM orders ORDER BY id').pluck().all()).toEqual(['disk', 'fan']);
    copy.close();
    expect(readdirSync(join(dir, 'sqlite')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  describe('PostgreSQL', () => {
    // A database of its own: pg_dump of the shared one fails when another test file drops a schema mid-dump.
    let db: { url: string; drop(): Promise<void> };
    beforeAll(async () => {
      db = await createDatabase(PG_URL);
      await sql(db.url, `CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
      await sql(db.url, `INSERT INTO ${table} VALUES (1, 'pg row')`);
    });
    afterAll(async () => {
      await db.drop();
    });

    it('dumps with pg_dump -Fc into a file pg_restore can list', async () => {
      const out = await backup({ credential_id: 'pg', destination_dir: join(dir, 'pg') }, db.url);
      const name = new URL(db.url).pathname.slice(1);
      expect(out).toMatchObject({ engine: 'postgres', file: expect.stringMatching(new RegExp(`${name}-.*\\.dump$`)) });
      expect(out.size_bytes).toBeGreaterThan(0);
      const listing = execFileSync('pg_restore', ['--list', out.file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(listing).toMatch(new RegExp(`TABLE public ${table} `));
      expect(listing).toMatch(new RegExp(`TABLE DATA public ${table} `));
    });
  });

  describe('MariaDB', () => {
    // A database of its own, as for PostgreSQL: other test files create and drop tables in `test`.
    const own = new URL(MARIADB_URL);
    own.pathname = `/${table}`;
    beforeAll(async () => {
      await sql(MARIADB_URL, `CREATE DATABASE ${table}`);
      await sql(own.toString(), `CREATE TABLE ${table} (id int PRIMARY KEY, note text) ENGINE=InnoDB`);
      await sql(own.toString(), `INSERT INTO ${table} VALUES (1, 'maria row')`);
    });
    afterAll(async () => {
      await sql(MARIADB_URL, `DROP DATABASE ${table}`);
    });

    it('dumps with mariadb-dump --single-transaction, gzipped on request', async () => {
      const out = await backup({ database_url: own.toString(), destination_dir: join(dir, 'maria'), compress: true });
      expect(out).toMatchObject({ engine: 'mysql', file: expect.stringMatching(new RegExp(`${table}-.*\\.sql\\.gz$`)) });
      const text = gunzipSync(readFileSync(out.file)).toString('utf8');
      expect(text).toContain(`CREATE TABLE \`${table}\``);
      expect(text).toContain("'maria row'");
    });

    it('fails with backup_failed and leaves no file when the database does not exist', async () => {
      const failing = backupDatabaseAction.run(ctx({ database_url: 'mariadb://root@127.0.0.1:3306/no_such_db_itw', destination_dir: join(dir, 'bad') }));
      await expect(failing).rejects.toMatchObject({ code: 'backup_failed', retryable: false, details: { stderr_tail: expect.stringContaining('no_such_db_itw') } });
      expect(existsSync(join(dir, 'bad')) ? readdirSync(join(dir, 'bad')) : []).toEqual([]);
    });
  });

  it('plans without the password', () => {
    expect(backupDatabaseAction.plan?.(ctx({ database_url: 'postgres://root:pw@127.0.0.1:5432/test', destination_dir: '/backups' }))).toBe('pg_dump of db test@127.0.0.1 to /backups');
  });
});
