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

const DEFAULT_TIMEOUT_SECONDS = 3600;

const BackupDatabaseParams = Type.Object(
  {
    ...databaseParams,
    destination_dir: Type.String({ minLength: 1, description: 'Directory on the server; created when missing' }),
    compress: Type.Optional(Type.Boolean({ default: false, description: 'gzip SQLite and MariaDB/MySQL backups (PostgreSQL custom-format dumps are always compressed)' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: DEFAULT_TIMEOUT_SECONDS })),
  },
  { additionalProperties: false },
);

const BackupDatabaseOutput = Type.Object({
  file: Type.String(),
  size_bytes: Type.Integer(),
  sha256: Type.String(),
  duration_ms: Type.Number(),
  engine: Type.Union([Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('sqlite')]),
});

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

export const backupDatabaseAction = defineAction({
  id: 'backup_database',
  category: 'data',
  name: 'Backup Database',
  description: 'Backs up a PostgreSQL (pg_dump), MariaDB/MySQL (mariadb-dump) or SQLite (online backup) database to a file.',
  params: BackupDatabaseParams,
  output: BackupDatabaseOutput,
  async run(ctx) {
    const p = ctx.params;
    const target = await resolveDatabase(ctx.credentials, ctx.services, p);
    const dir = resolve(p.destination_dir);
    checkOutsideDataDir(ctx.services.sandbox, dir, 'the backup destination');
    await mkdir(dir, { recursive: true });
    const compress = (p.compress ?? false) && target.engine !== 'postgres';
    const file = join(dir, `${baseName(target.database, new Date())}.${EXTENSION[target.engine]}${compress ? '.gz' : ''}`);
    // Written under a temporary name so a failed or partial backup never looks like a good one.
    const partial = `${file}.partial`;
    const raw = compress ? `${file}.raw.partial` : partial;
    const started = performance.now();
    try {
      await DUMPERS[target.engine]({ target, file: raw, timeoutSeconds: p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS, signal: ctx.signal });
      if (compress) await pipeline(createReadStream(raw), createGzip(), createWriteStream(partial));
      await rename(partial, file);
    } catch (err) {
      throw err instanceof ItwError ? err : databaseError(err, target);
    } finally {
      await rm(partial, { force: true });
      if (compress) await rm(raw, { force: true });
    }
    const out = { file, size_bytes: (await stat(file)).size, sha256: await sha256(file), duration_ms: Math.round(performance.now() - started), engine: target.engine };
    ctx.log.log('info', `${TOOL[target.engine]} of ${target.label} → ${file} (${out.size_bytes} bytes)`, { size_bytes: out.size_bytes });
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
    return `${tool} of ${describeDatabase(p)} to ${p.destination_dir}`;
  },
});
