import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { openStore, type Store } from '../../store/connect.js';
import { HostRepository } from '../../store/host-repository.js';
import { KyselyFleetLedger } from '../../store/kysely-fleet-ledger.js';
import { POSTGRES_URL } from '../../../test/support/dialects.js';
import { createDatabase } from '../../../test/support/pg-schema.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { backupDatabaseAction } from '../data/backup-database-action.js';

// The real PostgreSQL on loopback stands for each inventory host's database: db-1 reaches it as
// 127.0.0.1, db-2 as localhost; the credential is bound to both names and nothing else.
const work = mkdtempSync(join(tmpdir(), 'itw-fleet-backup-'));
// A database of its own: pg_dump of the shared one fails when another test file drops a schema mid-dump.
let pgDb: { url: string; drop(): Promise<void> };
const credentials: CredentialResolver = {
  get: (id, types) => {
    if (id === 'pg-fleet') return Promise.resolve({ id, type: 'database', data: { url: pgDb.url }, allowed_hosts: ['127.0.0.1', 'localhost'] });
    if (id === 'local-file') return Promise.resolve({ id, type: 'database', data: { url: `sqlite:${join(work, 'x.db')}` } });
    return Promise.reject(new Error(`no credential ${id} of ${String(types)}`));
  },
};

describe('fleet backup_database (real PostgreSQL per host)', () => {
  let store: Store;
  let hosts: HostRepository;
  beforeAll(async () => {
    pgDb = await createDatabase(POSTGRES_URL);
    store = await openStore({ dataDir: join(work, 'data') });
    hosts = new HostRepository(store.db);
    await hosts.create({ name: 'db-1', address: '127.0.0.1', tags: ['db'], ssh_credential_id: 'unused' });
    await hosts.create({ name: 'db-2', address: 'localhost', tags: ['db'], ssh_credential_id: 'unused' });
    await hosts.create({ name: 'rogue', address: 'exfil.example.net', tags: ['odd'], ssh_credential_id: 'unused' });
  });
  afterAll(async () => {
    await pgDb.drop();
    await store.close();
    rmSync(work, { recursive: true, force: true });
  });

  const run = (params: Parameters<typeof backupDatabaseAction.run>[0]['params'], key: string) => backupDatabaseAction.run({
    params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: key, credentials,
    services: testServices({ fleet: { hosts, ledger: new KyselyFleetLedger(store.db) } }),
  });

  it('dumps each host\'s database into its own directory, with size and checksum per host', async () => {
    const out = await run({ credential_id: 'pg-fleet', destination_dir: join(work, 'backups'), targets: { tags: ['db'] } }, 'bk:n:0:1') as unknown as { succeeded: string[]; hosts: Record<string, { output: { file: string; size_bytes: number; sha256: string; engine: string } }> };
    expect(out.succeeded).toEqual(['db-1', 'db-2']);
    for (const name of ['db-1', 'db-2']) {
      const { file, sha256, size_bytes, engine } = out.hosts[name]!.output;
      expect(file.startsWith(join(work, 'backups', name) + '/')).toBe(true);
      expect(engine).toBe('postgres');
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
      expect(size_bytes).toBe(bytes.length);
      expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('refuses to send the database credential to a host it is not bound to, and SQLite or a bare URL with targets', async () => {
    const rogue = await run({ credential_id: 'pg-fleet', destination_dir: join(work, 'backups'), targets: { tags: ['odd'] }, max_failures: 1 }, 'bk:n:0:2');
    expect(rogue).toMatchObject({ failed: ['rogue'], hosts: { rogue: { error: { code: 'credential_host_denied' } } } });
    await expect(run({ credential_id: 'local-file', destination_dir: join(work, 'b2'), targets: { tags: ['db'] } }, 'bk:n:0:3')).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/targets' } });
    await expect(run({ database_url: POSTGRES_URL, destination_dir: join(work, 'b3'), targets: { tags: ['db'] } }, 'bk:n:0:4')).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/credential_id' } });
  });
});
