import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { ItwError } from '../../model/errors.js';
import { backupMysql, backupPostgres, backupSqlite, type DumpRequest } from './backup-engines.js';
import { databaseError } from './database-errors.js';
import { databaseParams, describeDatabase, parseDatabaseUrl, resolveDatabase, type DatabaseEngine } from './database-target.js';
import { checkOutsideDataDir } from './data-dir-target.js';
import { bindingOf } from '../http/credential-binding.js';
import { FleetOutput, fleetParams } from '../fleet/fleet-params.js';
import { runFleet } from '../fleet/run-fleet.js';
import { NonRetryableError } from '../../model/errors.js';
import { guardDatabase, type DatabaseTarget } from './database-target.js';

const DEFAULT_TIMEOUT_SECONDS = 3600;

const BackupDatabaseParams = Type.Object(
  {
    ...databaseParams,
    destination_dir: Type.String({ minLength: 1, description: 'Directory on the server; created when missing' }),
    compress: Type.Optional(Type.Boolean({ default: false, description: 'gzip SQLite and MariaDB/MySQL backups (PostgreSQL custom-format dumps are always compressed)' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: DEFAULT_TIMEOUT_SECONDS })),
    ...fleetParams,
  },
  { additionalProperties: false },
);

const OneBackupOutput = Type.Object({
  file: Type.String(),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  duration_ms: Type.Number(),
  engine: Type.Union([Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('sqlite')]),
});

const BackupDatabaseOutput = Type.Union([OneBackupOutput, FleetOutput], { description: 'One backup, or with `targets` one per host (each host\'s `output` is its file)' });

const EXTENSION: Record<DatabaseEngine, string> = { postgres: 'dump', mysql: 'sql', sqlite: 'sqlite' };
const TOOL: Record<DatabaseEngine, string> = { postgres: 'pg_dump', mysql: 'mariadb-dump', sqlite: 'SQLite backup' };
const DUMPERS: Record<DatabaseEngine, (r: DumpRequest) => Promise<void>> = { postgres: backupPostgres, mysql: backupMysql, sqlite: backupSqlite };

/** `shop-20260127T075500123Z`: sorts by time, safe in any filesystem. */
function baseName(database: string, now: Date): string {
  const name = (database.split('/').pop() ?? 'db').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]/g, '_') || 'db';
  return `${name}-${now.toISOString().replace(/[-:.]/g, '')}`;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** One backup into `dir`, written under a temporary name so a failed or partial backup never looks like a good one. */
async function backupTo(target: DatabaseTarget, dir: string, compressWanted: boolean, timeoutSeconds: number, signal: AbortSignal) {
  await mkdir(dir, { recursive: true });
  const compress = compressWanted && target.engine !== 'postgres';
  const file = join(dir, `${baseName(target.database, new Date())}.${EXTENSION[target.engine]}${compress ? '.gz' : ''}`);
  const partial = `${file}.partial`;
  const raw = compress ? `${file}.raw.partial` : partial;
  const started = performance.now();
  try {
    await DUMPERS[target.engine]({ target, file: raw, timeoutSeconds, signal });
    if (compress) await pipeline(createReadStream(raw), createGzip(), createWriteStream(partial));
    await rename(partial, file);
  } catch (err) {
    throw err instanceof ItwError ? err : databaseError(err, target);
  } finally {
    await rm(partial, { force: true });
    if (compress) await rm(raw, { force: true });
  }
  return { file, size_bytes: (await stat(file)).size, sha256: await sha256(file), duration_ms: Math.round(performance.now() - started), engine: target.engine };
}

/** The parsed URL of the step's `database` credential (its host replaced per inventory host) and where the credential may go. */
async function fleetBase(credentials: Parameters<typeof resolveDatabase>[0], p: { credential_id?: string | undefined; database_url?: string | undefined }) {
  if (p.credential_id === undefined) throw new NonRetryableError('invalid_params', '`targets` needs `credential_id` (a database credential bound to the hosts\' addresses)', { details: { path: '/credential_id' } });
  const cred = await credentials.get(p.credential_id, ['database']);
  const url = cred.data['url'];
  if (!url) throw new NonRetryableError('invalid_credential', `database credential ${p.credential_id} has no url`);
  const target = parseDatabaseUrl(url);
  if (target.engine === 'sqlite') throw new NonRetryableError('invalid_params', 'a SQLite file is on this server: `targets` needs a PostgreSQL or MariaDB/MySQL credential', { details: { path: '/targets' } });
  return { target, binding: bindingOf(cred) };
}

export const backupDatabaseAction = defineAction({
  id: 'backup_database',
  category: 'data',
  name: 'Backup Database',
  description: 'Backs up a PostgreSQL (pg_dump), MariaDB/MySQL (mariadb-dump) or SQLite (online backup) database to a file; with `targets`, the database of every inventory host selected, one file each.',
  params: BackupDatabaseParams,
  output: BackupDatabaseOutput,
  async run(ctx) {
    const p = ctx.params;
    const timeoutSeconds = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    const dir = resolve(p.destination_dir);
    checkOutsideDataDir(ctx.services.sandbox, dir, 'the backup destination');
    if (p.targets !== undefined) {
      // The database of each inventory host: the credential's URL with the host's address, the file in <destination_dir>/<host name>/.
      const base = await fleetBase(ctx.credentials, p);
      return runFleet(
        { targets: p.targets, concurrency: p.concurrency, max_failures: p.max_failures, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, log: ctx.log, fleet: ctx.services.fleet },
        async (host, _key, signal) => {
          const target = await guardDatabase({ ...base.target, host: host.address, label: `db ${base.target.database || '(default)'}@${host.address}` }, ctx.services, base.binding);
          const out = await backupTo(target, join(dir, host.name), p.compress ?? false, timeoutSeconds, signal);
          ctx.log.log('info', `host ${host.name}: ${TOOL[target.engine]} of ${target.label} → ${out.file} (${out.size_bytes} bytes)`, { host: host.name, size_bytes: out.size_bytes });
          return { status: 'succeeded', exit_code: 0, stdout: '', stderr: '', duration_ms: out.duration_ms, output: out };
        },
      );
    }
    const target = await resolveDatabase(ctx.credentials, ctx.services, p);
    const out = await backupTo(target, dir, p.compress ?? false, timeoutSeconds, ctx.signal);
    ctx.log.log('info', `${TOOL[target.engine]} of ${target.label} → ${out.file} (${out.size_bytes} bytes)`, { size_bytes: out.size_bytes });
    return out;
  },
  plan(ctx) {
    const p = ctx.params;
    let tool = 'backup';
    try {
      if (p.database_url !== undefined) tool = TOOL[parseDatabaseUrl(p.database_url).engine];
    } catch {
      // describeDatabase names the URL as invalid.
    }
    if (p.targets !== undefined) return `${tool} of ${describeDatabase(p)} on every host matching ${JSON.stringify(p.targets)} to ${p.destination_dir}/<host>, ${p.concurrency ?? 5} at a time`;
    return `${tool} of ${describeDatabase(p)} to ${p.destination_dir}`;
  },
});
