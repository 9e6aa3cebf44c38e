import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '../../src/store/sqlite-driver.js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, POSTGRES_URL, type Dialect, type Harness } from '../support/harness.js';
import { expectCompleted, fakeCredentials, fakeSaas, loadTemplate, runTemplate, withNodeConfig } from './template-support.js';

const template = loadTemplate('backup-and-recovery.yaml');

/** A database with two orders to back up: on the dialect's own engine (a fresh PostgreSQL database, or an SQLite file). */
async function sourceDatabase(dialect: Dialect, dir: string): Promise<{ url: string; countQuery: string; drop(): Promise<void> }> {
  if (dialect.name === 'sqlite') {
    const file = join(dir, 'shop.db');
    const db = new Database(file);
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders (item) VALUES ('disk'), ('fan');");
    db.close();
    return { url: `sqlite:${file}`, countQuery: 'SELECT count(*) AS orders FROM orders', drop: () => Promise.resolve() };
  }
  const name = `itw_tpl_backup_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query("CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'disk'), (2, 'fan')");
  await db.end();
  return {
    url: url.toString(), countQuery: 'SELECT count(*)::int AS orders FROM orders',
    async drop() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe.each(DIALECTS)('template: Backup and Recovery ($name)', (dialect) => {
  let h: Harness;
  let saas: Awaited<ReturnType<typeof fakeSaas>>;
  let dir: string;
  let source: Awaited<ReturnType<typeof sourceDatabase>>;
  let variables: Record<string, unknown>;
  let def: typeof template;
  beforeAll(async () => {
    // The checksum command runs in the sandbox: the backup dir is a path the site shows sandboxed steps.
    dir = mkdtempSync(join(tmpdir(), 'itw-backup-tpl-'));
    chmodSync(dir, 0o755);
    h = await openHarness(dialect, { config: { sandboxPaths: [dir] } });
    saas = await fakeSaas();
    await fakeCredentials(h, saas.url, { slack: 'slack-ops' });
    source = await sourceDatabase(dialect, dir);
    await h.app.vault.create({ name: 'primary-db', type: 'database', data: { url: source.url } });
    await h.app.vault.create({ name: 'missing-db', type: 'database', data: { url: `sqlite:${join(dir, 'no-such.db')}` } });
    variables = { database_label: 'shop database', backup_dir: join(dir, 'backups') };
    // The check query is SQL, so it is written in its node, as a user edits the template.
    def = withNodeConfig(template, 'check_source', { sql: source.countQuery });
  });
  afterEach(() => { saas.calls.length = 0; });
  afterAll(async () => {
    await saas.close();
    await h.close();
    await source.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up the database to a file whose checksum verifies, and reports it on Slack', async () => {
    const r = await runTemplate(h, def, {}, variables);
    expectCompleted(r);
    const backup = r.node('backup').output as { file: string; sha256: string; size_bytes: number; engine: string };
    expect(backup.engine).toBe(dialect.name);
    expect(existsSync(backup.file)).toBe(true);
    expect(readdirSync(join(dir, 'backups'))).toEqual([backup.file.split('/').pop()]);
    expect(createHash('sha256').update(readFileSync(backup.file)).digest('hex')).toBe(backup.sha256);
    expect(r.node('verify').output).toMatchObject({ checksum_ok: true, size_ok: true, source: { orders: 2 } });
    expect(saas.of('slack').map((c) => c.body['text'])).toEqual([
      `:white_check_mark: Backup of the shop database verified: ${backup.file} (${backup.size_bytes} bytes, sha256 ${backup.sha256}).`,
    ]);
    expect(r.node('log_result').output).toEqual({ message: 'backup of the shop database: verified', level: 'info' });
    rmSync(backup.file);
  });

  it('a backup whose checksum does not verify is reported as failed', async () => {
    const wrongSum = withNodeConfig(def, 'checksum', { command: [process.execPath, '-e', 'console.log("0".repeat(64) + "  " + process.argv[1])', '{{ $nodes.backup.file }}'] });
    const r = await runTemplate(h, wrongSum, {}, variables);
    expectCompleted(r);
    expect(r.node('notify_ok').status).toBe('skipped');
    expect(saas.of('slack')[0]!.body['text']).toMatch(/^:x: Backup of the shop database FAILED: the file did not verify \(checksum mismatch, \d+ bytes\): /);
    expect(r.node('log_result').output).toMatchObject({ level: 'error' });
  });

  it('a backup that fails takes the error path: the team is told which step failed and why', async () => {
    const r = await runTemplate(h, def, {}, { ...variables, database_credential_id: 'missing-db', backup_dir: join(dir, 'failed') });
    expectCompleted(r);
    expect(r.node('backup').status).toBe('failed');
    expect(r.node('checksum').status).toBe('skipped');
    expect(saas.of('slack').map((c) => c.body['text'])).toEqual([expect.stringMatching(/^:x: Backup of the shop database FAILED: step backup: /)]);
    expect(existsSync(join(dir, 'failed')) ? readdirSync(join(dir, 'failed')) : []).toEqual([]);
  });
});
