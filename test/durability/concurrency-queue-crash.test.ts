import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { httpFixture, json } from '../support/http-fixture.js';

const CHILD = fileURLToPath(new URL('../support/keyed-queue-child.ts', import.meta.url));
const HOSTS = ['db-a', 'db-b'];
const PER_HOST = 8;

function startChild(dataDir: string, url: string): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const started = new Promise<void>((r) => proc.stdout.on('data', (d: Buffer) => { if (d.toString().includes('started')) r(); }));
  return { proc, exited, started };
}

describe('kill -9 with executions queued behind a concurrency key', () => {
  let server: Awaited<ReturnType<typeof httpFixture>>;
  let dataDir: string;
  let first: ReturnType<typeof startChild> | undefined;
  let allStarted = false;
  let killedAt: number | undefined;
  const active = new Map<string, number>();
  const maxActive = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'itw-keyed-crash-'));
    // Each call holds 100 ms. Once every execution exists and a few have run, the process is
    // killed while it waits on a call: one running, the rest of both queues pending.
    server = await httpFixture((req, res) => {
      const [, , host = '', n = ''] = req.url.split('/');
      active.set(host, (active.get(host) ?? 0) + 1);
      maxActive.set(host, Math.max(maxActive.get(host) ?? 0, active.get(host)!));
      arrivals.set(host, [...(arrivals.get(host) ?? []), Number(n)]);
      res.on('close', () => active.set(host, active.get(host)! - 1));
      if (first && allStarted && killedAt === undefined && server.requests.length >= 5) {
        killedAt = Number(n);
        first.proc.kill('SIGKILL');
        return;
      }
      setTimeout(() => json(res, 200, { host, n: Number(n) }), 100);
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after restart the queued executions still run, in order, one per host at a time', async () => {
    first = startChild(dataDir, server.url);
    await first.started;
    allStarted = true;
    expect(await first.exited).toBeNull();
    expect(killedAt).toBeDefined();
    const midway = await openStore({ dataDir });
    const pending = await midway.db.selectFrom('executions').select('id').where('status', '=', 'pending').execute();
    await midway.close();
    expect(pending.length).toBeGreaterThan(HOSTS.length);

    const second = startChild(dataDir, server.url);
    expect(await second.exited).toBe(0);

    const store = await openStore({ dataDir });
    try {
      const rows = await store.db.selectFrom('executions').select(['status', 'concurrency_key', 'started_at', 'finished_at', 'input_data']).orderBy('started_at').execute();
      expect(rows).toHaveLength(HOSTS.length * PER_HOST);
      expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
      for (const host of HOSTS) {
        expect(maxActive.get(host)).toBe(1);
        // The call cut by the kill is made again after restart (at-least-once), then the queue goes on in order.
        const seen = arrivals.get(host)!.filter((n, i, all) => i === 0 || all[i - 1] !== n);
        expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        const mine = rows.filter((r) => r.concurrency_key === host);
        for (let k = 1; k < mine.length; k++) expect(mine[k]!.started_at!).toBeGreaterThanOrEqual(mine[k - 1]!.finished_at!);
      }
      console.info(`keyed crash test: killed during call ${killedAt} with ${pending.length} executions pending`);
    } finally {
      await store.close();
    }
  }, 120_000);
});
