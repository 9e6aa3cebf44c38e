import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '../../model/errors.js';
import { openStore, type Store } from '../../store/connect.js';
import { HostRepository } from '../../store/host-repository.js';
import { KyselyFleetLedger } from '../../store/kysely-fleet-ledger.js';
import type { HostResult } from './fleet-ports.js';
import { runFleet, type HostRunner } from './run-fleet.js';

const ok: HostResult = { status: 'succeeded', exit_code: 0, stdout: 'ok', stderr: '', duration_ms: 1 };

describe('runFleet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itw-run-fleet-'));
  let store: Store;
  let fleet: { hosts: HostRepository; ledger: KyselyFleetLedger };
  beforeAll(async () => {
    store = await openStore({ dataDir: dir });
    fleet = { hosts: new HostRepository(store.db), ledger: new KyselyFleetLedger(store.db, (v) => JSON.parse(JSON.stringify(v).replaceAll('hunter2', '[redacted]')) as typeof v) };
    for (let i = 1; i <= 6; i++) await fleet.hosts.create({ name: `n-${i}`, address: `n-${i}.example.com`, tags: ['all'], ssh_credential_id: 'k' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (key: string, runner: HostRunner, opts: { concurrency?: number; max_failures?: number; signal?: AbortSignal } = {}) =>
    runFleet({ targets: { tags: ['all'] }, idempotencyKey: key, signal: opts.signal ?? new AbortController().signal, log: { log: () => undefined }, fleet, concurrency: opts.concurrency, max_failures: opts.max_failures }, runner);

  it('never runs more hosts at once than `concurrency`, and gives each host its own key', async () => {
    let running = 0;
    let peak = 0;
    const keys: string[] = [];
    const out = await run('c:n:0:1', async (host, key) => {
      keys.push(key);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return { ...ok, stdout: host.name };
    }, { concurrency: 2 });
    expect(peak).toBe(2);
    expect(out.succeeded).toHaveLength(6);
    expect(keys.sort()).toEqual(['n-1', 'n-2', 'n-3', 'n-4', 'n-5', 'n-6'].map((n) => `c:n:0:1:${n}`));
  });

  it('counts a thrown error as that host\'s failure, with its code, and stores outputs redacted', async () => {
    const out = await run('e:n:0:1', (host) => (host.name === 'n-3' ? Promise.reject(new RetryableError('ssh_connect_failed', 'refused')) : Promise.resolve({ ...ok, stdout: 'password hunter2' })), { max_failures: 1 });
    expect(out.failed).toEqual(['n-3']);
    expect(out.hosts['n-3']).toMatchObject({ status: 'failed', exit_code: null, error: { code: 'ssh_connect_failed', message: 'refused' } });
    const stored = await fleet.ledger.results('e:n:0:1');
    expect(stored.get('n-1')?.stdout).toBe('password [redacted]');
  });

  it('on abort starts no new host, records nothing for the interrupted ones, and rejects', async () => {
    const stop = new AbortController();
    const started: string[] = [];
    const run1 = run('a:n:0:1', (host, _key, signal) => {
      started.push(host.name);
      if (host.name === 'n-1') return Promise.resolve(ok);
      // Cancelled while this host's command runs: its runner ends with the kill.
      const killed = new Promise<HostResult>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('killed')), { once: true }));
      stop.abort(new Error('cancelled'));
      return killed;
    }, { concurrency: 1, signal: stop.signal });
    await expect(run1).rejects.toThrow('cancelled');
    expect(started).toEqual(['n-1', 'n-2']);
    expect([...(await fleet.ledger.results('a:n:0:1')).keys()]).toEqual(['n-1']);
  });
});
