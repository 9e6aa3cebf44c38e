import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../../model/credentials.js';
import { openStore, type Store } from '../../store/connect.js';
import { HostRepository } from '../../store/host-repository.js';
import { KyselyFleetLedger } from '../../store/kysely-fleet-ledger.js';
import { POSTGRES_URL, SELECTED_DIALECTS } from '../../../test/support/dialects.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { startSshd, type Sshd } from '../../../test/support/sshd.js';
import { executeCommandAction } from '../infrastructure/execute-command-action.js';
import { runScriptAction } from '../infrastructure/run-script-action.js';
import { restartServiceAction } from '../infrastructure/restart-service-action.js';
import { ServiceAllowList } from '../infrastructure/service-allow-list.js';

// Three real OpenSSH servers on loopback (test/support/sshd.ts), each its own host of the inventory
// with its own key and pinned host key: web-1 and web-2 tagged web, db-1 tagged db.
const servers: Record<string, Sshd> = {};
const work = mkdtempSync(join(tmpdir(), 'itw-fleet-'));

beforeAll(async () => {
  for (const name of ['web-1', 'web-2', 'db-1']) servers[name] = await startSshd();
});
afterAll(() => {
  for (const s of Object.values(servers)) s.close();
  rmSync(work, { recursive: true, force: true });
});

/** One ssh_key credential per server, named after it (`key-web-1`), bound to 127.0.0.1. */
const credentials: CredentialResolver = {
  get: (id, types) => {
    expect(types).toEqual(['ssh_key']);
    const s = servers[id.replace(/^key-/, '')];
    if (!s) return Promise.reject(new Error(`no credential ${id}`));
    return Promise.resolve({ id, type: 'ssh_key', data: { host: '127.0.0.1', username: userInfo().username, private_key: s.clientKey, passphrase: 'key-pass', host_key_fingerprint: s.hostFingerprint } });
  },
};

describe.each(SELECTED_DIALECTS)('fleet execute_command over several sshd (%s)', (dialect) => {
  let store: Store;
  let hosts: HostRepository;
  let ledger: KyselyFleetLedger;
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-fleet-store-'));
  const schema = `itw_t_${randomBytes(6).toString('hex')}`;
  let step = 0;

  beforeAll(async () => {
    store = await openStore(dialect === 'sqlite' ? { dataDir } : { dataDir, databaseUrl: POSTGRES_URL, schema });
    hosts = new HostRepository(store.db);
    ledger = new KyselyFleetLedger(store.db);
    for (const [name, s] of Object.entries(servers)) {
      await hosts.create({ name, address: '127.0.0.1', port: s.port, tags: name.startsWith('web') ? ['web', 'prod'] : ['db', 'prod'], ssh_credential_id: `key-${name}` });
    }
  });
  afterAll(async () => {
    if (dialect === 'postgres') await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  type Params = Parameters<typeof executeCommandAction.run>[0]['params'];
  const run = (params: Params, key = `ex_${dialect}_${step++}:n:0:1`) => executeCommandAction.run({
    params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: key, credentials,
    services: testServices({ fleet: { hosts, ledger } }),
  });
  /** The server port each run saw (SSH_CONNECTION ends with it): which host really ran. */
  const WHO = 'echo "${SSH_CONNECTION##* }"';

  it('runs on every host carrying the tags and reports each by name', async () => {
    const out = await run({ command: WHO, shell: true, targets: { tags: ['web'] } });
    expect(out).toEqual({
      hosts: {
        'web-1': { status: 'succeeded', exit_code: 0, stdout: `${servers['web-1']!.port}\n`, stderr: '', duration_ms: expect.any(Number) },
        'web-2': { status: 'succeeded', exit_code: 0, stdout: `${servers['web-2']!.port}\n`, stderr: '', duration_ms: expect.any(Number) },
      },
      succeeded: ['web-1', 'web-2'], failed: [], skipped: [],
    });
  });

  it('selects by names and tags together, named hosts first', async () => {
    const out = await run({ command: ['true'], targets: { names: ['db-1'], tags: ['web'] }, concurrency: 1 });
    expect(Object.keys((out as { hosts: object }).hosts)).toEqual(['db-1', 'web-1', 'web-2']);
  });

  it('tolerates max_failures failed hosts and reports them', async () => {
    const out = await run({ command: `[ "\${SSH_CONNECTION##* }" != ${servers['web-2']!.port} ] || { echo down >&2; exit 3; }`, shell: true, targets: { tags: ['prod'] }, max_failures: 1 });
    expect(out).toMatchObject({ succeeded: ['db-1', 'web-1'], failed: ['web-2'], skipped: [], hosts: { 'web-2': { status: 'failed', exit_code: 3, stderr: 'down\n' } } });
  });

  it('stops starting hosts once max_failures is exceeded and fails the step with every outcome', async () => {
    // concurrency 1 runs db-1 first: it fails, so web-1 and web-2 never start.
    const marks = join(work, `ran-${dialect}`);
    const failing = run({ command: `echo "\${SSH_CONNECTION##* }" >> ${marks}; [ "\${SSH_CONNECTION##* }" != ${servers['db-1']!.port} ]`, shell: true, targets: { tags: ['prod'] }, concurrency: 1 });
    await expect(failing).rejects.toMatchObject({
      code: 'fleet_failed', retryable: false,
      details: { succeeded: [], failed: ['db-1'], skipped: ['web-1', 'web-2'], hosts: { 'web-1': { status: 'skipped', error: { code: 'max_failures_exceeded' } } } },
    });
    expect(readFileSync(marks, 'utf8')).toBe(`${servers['db-1']!.port}\n`);
  });

  it('after a crash, runs only the hosts without a recorded result, under the same key', async () => {
    const key = `ex_resume_${dialect}:fleet:0:1`;
    const marks = join(work, `resume-${dialect}`);
    // The first holder of the step finished web-1 before it died.
    await ledger.record(key, 'web-1', { status: 'succeeded', exit_code: 0, stdout: 'from the first run\n', stderr: '', duration_ms: 5 });
    const out = await run({ command: `echo "\${SSH_CONNECTION##* }" >> ${marks}`, shell: true, targets: { tags: ['web'] } }, key);
    expect(out).toMatchObject({ succeeded: ['web-1', 'web-2'], hosts: { 'web-1': { stdout: 'from the first run\n' } } });
    expect(readFileSync(marks, 'utf8')).toBe(`${servers['web-2']!.port}\n`);
    // A third dispatch of the same step runs nothing again.
    await run({ command: `echo "\${SSH_CONNECTION##* }" >> ${marks}`, shell: true, targets: { tags: ['web'] } }, key);
    expect(readFileSync(marks, 'utf8')).toBe(`${servers['web-2']!.port}\n`);
  });

  it('fails a host whose credential is not bound to its address, or whose host key is not the pinned one', async () => {
    await hosts.create({ name: 'stray', address: 'localhost', port: servers['web-1']!.port, tags: ['odd'], ssh_credential_id: 'key-web-1' });
    await hosts.create({ name: 'impostor', address: '127.0.0.1', port: servers['web-2']!.port, tags: ['odd'], ssh_credential_id: 'key-web-1' });
    const failing = run({ command: ['true'], targets: { tags: ['odd'] }, max_failures: 5 });
    const out = await failing;
    expect(out).toMatchObject({
      failed: ['impostor', 'stray'],
      hosts: { stray: { error: { code: 'credential_host_denied' } }, impostor: { error: { code: 'ssh_host_key_mismatch' } } },
    });
  });

  it('refuses unknown host names, an empty match and targets with ssh_credential_id, naming the field', async () => {
    await expect(run({ command: ['true'], targets: { names: ['web-1', 'ghost'] } })).rejects.toMatchObject({ code: 'unknown_hosts', message: expect.stringContaining('ghost'), details: { path: '/targets/names' } });
    await expect(run({ command: ['true'], targets: { tags: ['nowhere'] } })).rejects.toMatchObject({ code: 'no_hosts_matched' });
    await expect(run({ command: ['true'], targets: { tags: ['web'] }, ssh_credential_id: 'key-web-1' })).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/ssh_credential_id' } });
  });

  it('runs a script on each host: code and input on stdin, args literal, nothing left behind', async () => {
    const pwned = join(work, `pwned-${dialect}`);
    const code = 'import json, os, sys\nd = json.load(sys.stdin)\nprint(json.dumps({"sum": sum(d["n"]), "arg": sys.argv[1], "port": os.environ["SSH_CONNECTION"].split()[-1], "cwd": os.getcwd()}))';
    const out = await runScriptAction.run({
      params: { language: 'python', code, input: { n: [1, 2, 3] }, args: [`$(touch ${pwned})'; touch ${pwned}`], targets: { tags: ['web'] } },
      log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: `script_${dialect}:n:0:1`, credentials, services: testServices({ fleet: { hosts, ledger } }),
    }) as { succeeded: string[]; hosts: Record<string, { stdout: string }> };
    expect(out.succeeded).toEqual(['web-1', 'web-2']);
    for (const name of ['web-1', 'web-2']) {
      const r = JSON.parse(out.hosts[name]!.stdout) as { sum: number; arg: string; port: string; cwd: string };
      expect(r).toMatchObject({ sum: 6, arg: `$(touch ${pwned})'; touch ${pwned}`, port: String(servers[name]!.port) });
      expect(existsSync(r.cwd)).toBe(false);
    }
    expect(existsSync(pwned)).toBe(false);
  });

  it('restarts an allow-listed service on each host with its fixed argv, and refuses the rest', async () => {
    const serviceControl = new ServiceAllowList(['nginx'], { nginx: ['sh', '-c', 'echo "restarted nginx on ${SSH_CONNECTION##* }"'] });
    const restart = (params: Parameters<typeof restartServiceAction.run>[0]['params']) => restartServiceAction.run({
      params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: `restart_${dialect}_${step++}:n:0:1`, credentials, services: testServices({ fleet: { hosts, ledger }, serviceControl }),
    });
    const out = await restart({ service: 'nginx', method: 'command', targets: { names: ['web-2'] } });
    expect(out).toMatchObject({ succeeded: ['web-2'], hosts: { 'web-2': { stdout: `restarted nginx on ${servers['web-2']!.port}\n` } } });
    // systemd: `systemctl restart nginx` ran on the host (no systemd in this container: it says so and fails).
    const systemd = restart({ service: 'nginx', method: 'systemd', targets: { names: ['web-1'] } });
    await expect(systemd).rejects.toMatchObject({ code: 'fleet_failed', details: { failed: ['web-1'] } });
    await expect(restart({ service: 'sshd', method: 'systemd', targets: { tags: ['web'] } })).rejects.toMatchObject({ code: 'service_not_allowed' });
    await expect(restart({ service: 'nginx', method: 'http', url: 'http://127.0.0.1:1/', targets: { tags: ['web'] } })).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/method' } });
  });

  it('without an inventory (standalone services) a fleet step fails clearly', async () => {
    const out = executeCommandAction.run({ params: { command: ['true'], targets: { tags: ['web'] } }, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'k', credentials, services: testServices() });
    await expect(out).rejects.toMatchObject({ code: 'not_configured' });
  });
});
