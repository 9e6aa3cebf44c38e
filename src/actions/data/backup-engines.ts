import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { delimiter, join } from 'node:path';
import Database from '../../store/sqlite-driver.js';
import { NonRetryableError } from '../../model/errors.js';
import { throwIfFailed, throwIfKilled } from '../process/process-outcome.js';
import { runProcess } from '../process/run-process.js';
import type { DatabaseTarget } from './database-target.js';

export interface DumpRequest {
  readonly target: DatabaseTarget;
  /** Where the dump goes; renamed into place by the caller once complete. */
  readonly file: string;
  readonly timeoutSeconds: number;
  readonly signal: AbortSignal;
}

/** SQLite's online backup API: a consistent copy while other connections keep writing. */
export async function backupSqlite(r: DumpRequest): Promise<void> {
  const db = new Database(r.target.path, { readonly: true, fileMustExist: true });
  try {
    await db.backup(r.file);
  } finally {
    db.close();
  }
}

function onPath(names: readonly string[]): string | undefined {
  const dirs = (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter);
  for (const name of names) {
    for (const dir of dirs) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return name;
      } catch {
        // not in this directory
      }
    }
  }
  return undefined;
}

async function runDump(argv: string[], env: Record<string, string>, r: DumpRequest, tool: string): Promise<void> {
  const res = await runProcess({ argv, env, timeoutMs: r.timeoutSeconds * 1000, signal: r.signal });
  throwIfKilled(res, tool, r.timeoutSeconds);
  throwIfFailed(res, `${tool} of ${r.target.label}`, 'backup_failed');
}

/**
 * pg_dump in custom format (compressed, restorable table by table with pg_restore). The password
 * travels in PGPASSWORD, never on the command line where `ps` would show it.
 */
export async function backupPostgres(r: DumpRequest): Promise<void> {
  if (!onPath(['pg_dump'])) throw new NonRetryableError('tool_missing', 'pg_dump is not installed (package postgresql-client)');
  const t = r.target;
  const env: Record<string, string> = { PGHOST: t.host, PGUSER: t.user, PGDATABASE: t.database, PGCONNECT_TIMEOUT: '10', PGAPPNAME: 'itechsmart-workflow' };
  if (t.port !== undefined) env['PGPORT'] = String(t.port);
  // libpq dials hostaddr (the egress-checked address) and keeps PGHOST for TLS and authentication.
  if (t.address !== undefined && isIP(t.address)) env['PGHOSTADDR'] = t.address;
  if (t.password) env['PGPASSWORD'] = t.password;
  if (t.options['sslmode']) env['PGSSLMODE'] = t.options['sslmode'];
  await runDump(['pg_dump', '--format=custom', '--no-password', `--file=${r.file}`], env, r, 'pg_dump');
}

/** An option-file value: double-quoted, with backslash and quote escaped (MySQL option file syntax). */
function optionValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * mariadb-dump (or mysqldump) with --single-transaction: a consistent InnoDB snapshot without
 * locking writers. Credentials go in a 0600 option file in a private temp dir, removed afterwards:
 * MYSQL_PWD is deprecated and argv is visible to every user.
 */
export async function backupMysql(r: DumpRequest): Promise<void> {
  const tool = onPath(['mariadb-dump', 'mysqldump']);
  if (!tool) throw new NonRetryableError('tool_missing', 'neither mariadb-dump nor mysqldump is installed (package mariadb-client)');
  const t = r.target;
  if (t.database === '' || t.database.startsWith('-')) throw new NonRetryableError('invalid_database_url', `invalid database name for a dump: ${JSON.stringify(t.database)}`);
  const dir = await mkdtemp(join(tmpdir(), 'itw-dump-'));
  try {
    const cnf = join(dir, 'client.cnf');
    const lines = ['[client]', `host=${optionValue(t.address ?? t.host)}`, `user=${optionValue(t.user)}`, `password=${optionValue(t.password)}`];
    if (t.port !== undefined) lines.push(`port=${t.port}`);
    await writeFile(cnf, `${lines.join('\n')}\n`, { mode: 0o600 });
    const argv = [tool, `--defaults-extra-file=${cnf}`, '--single-transaction', '--routines', '--triggers', `--result-file=${r.file}`, t.database];
    await runDump(argv, {}, r, tool);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
