import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow } from '../triggers/trigger-test-kit.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { eventually } from '../support/eventually.js';
import { delayedHook } from './delayed-hook.js';


/** Appends until the filesystem refuses even one more byte. */
function fillToTheLastByte(file: string): void {
  for (const chunk of [1 << 16, 4096, 1]) {
    try {
      for (;;) appendFileSync(file, Buffer.alloc(chunk));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    }
  }
}

const HOOK = delayedHook('Hook on a small disk', 'disk', 0.5);

/**
 * Issue 21: SQLite on a full disk answered 500 to every delivery while /health said 200. The data
 * dir here is a small tmpfs of its own (mounted by the test: it runs as root; if mounting fails,
 * the test fails) filled to the last byte, then freed again.
 */
describe('SQLite on a full disk', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'itw-full-'));
  const filler = join(mountPoint, 'filler');
  const metricsToken = 'metrics-token-for-the-disk-test';
  let mounted = false;
  let s: ApiServer;

  beforeAll(async () => {
    // Not skippable: without the mount this test proves nothing, so it must fail loudly.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
    mounted = true;
    s = await startApiServer({ name: 'sqlite', url: undefined, label: 'sqlite' }, { config: { dataDir: join(mountPoint, 'data'), databaseProbeMs: 100, metricsToken } });
  });
  afterAll(async () => {
    await s?.close();
    if (mounted) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const deliver = (i: number) => fetch(`${s.url}/webhooks/disk`, { method: 'POST', body: JSON.stringify({ i }), headers: { 'content-type': 'application/json' } });
  const health = () => s.call('GET', '/health', { as: null });
  const metrics = async () => (await s.call('GET', '/metrics', { as: null, headers: { authorization: `Bearer ${metricsToken}` } })).text;

  it('answers 507 insufficient_storage with Retry-After, /health 503 says why, and everything acknowledged completes once space returns', async () => {
    const wf = await deployActive(s, HOOK);
    const acknowledged: string[] = [];
    // Parked in their delay when the disk fills: their wake-ups cannot commit until space returns.
    for (let i = 0; i < 3; i++) {
      const res = await deliver(i);
      expect(res.status).toBe(202);
      acknowledged.push(((await res.json()) as { execution_id: string }).execution_id);
    }
    const wakeBy = Date.now() + 500;

    // A WAL with room left takes commits on a full disk (they are durable: the space is the WAL's
    // own). Emptied first, so the next commit is the first write that needs a new byte.
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(s.app.store.db);
    fillToTheLastByte(filler);
    for (let i = 10; i < 15; i++) {
      const res = await deliver(i);
      expect(res.status).toBe(507);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ status: 507, code: 'insufficient_storage', title: 'Insufficient Storage' });
    }
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'database_unavailable' });
    expect(down.body.detail).toMatch(/full: SQLITE_FULL/);
    expect(await metrics()).toMatch(/^itw_database_status\{status="full"\} 1$/m);
    // The parked executions come due while the disk is still full.
    await eventually('the delays to come due', () => Promise.resolve(Date.now()), (now) => now > wakeBy + 200);
    expect((await deliver(99)).status).toBe(507);

    unlinkSync(filler);
    await eventually('/health back to 200', health, (r) => r.status === 200);
    expect(await metrics()).toMatch(/^itw_database_status\{status="available"\} 1$/m);
    for (let i = 20; i < 23; i++) {
      const res = await deliver(i);
      expect(res.status).toBe(202);
      acknowledged.push(((await res.json()) as { execution_id: string }).execution_id);
    }
    const left = await eventually(
      'every acknowledged execution to complete',
      async () => {
        const rows = await s.app.store.db.selectFrom('executions').select(['id', 'status']).where('workflow_id', '=', wf).execute();
        const status = new Map(rows.map((r) => [r.id, r.status]));
        return acknowledged.filter((id) => status.get(id) !== 'completed');
      },
      (l) => l.length === 0,
    );
    expect(left).toEqual([]);
    const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(s.app.store.db);
    expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
  }, 60_000);
});

/** A tmpfs of its own for one suite; mount failures fail the suite (never a skip). */
function smallDisk(prefix: string): { dir: string; mount(): void; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let mounted = false;
  return {
    dir,
    mount() {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]);
      mounted = true;
    },
    unmount() {
      if (mounted) execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('a schedule trigger while SQLite is full', () => {
  const disk = smallDisk('itw-full-sched-');
  const filler = join(disk.dir, 'filler');
  const logLines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    disk.mount();
    h = await openHarness(SQLITE, { dataDir: join(disk.dir, 'data'), config: { databaseProbeMs: 100 }, logStream: { write: (line: string) => void logLines.push(line) } });
  });
  afterAll(async () => {
    await h?.close();
    disk.unmount();
  });

  it('pauses while ticks cannot be recorded and, once space returns, fires the latest tick once; the one skipped is logged', async () => {
    const start = Math.ceil(h.clock.now() / 60_000) * 60_000;
    h.clock.advance(start - h.clock.now());
    const def = { ...echoWorkflow('Every minute', { trigger_type: 'schedule', cron: '* * * * *' }), edges: [{ id: 'e0', source_node_id: 'in', target_node_id: 'echo' }] } as unknown as WorkflowDefinition;
    const { id: wf } = await h.app.store.workflows.createWorkflow(def);
    const v = await h.app.store.workflows.snapshotVersion(wf, def);
    await h.app.store.workflows.setActiveVersion(wf, v.id);
    await h.app.repos.workflowQueries.setStatus(wf, 'active');
    await h.app.triggers.sync(wf);
    const at = (n: number) => new Date(start + n * 60_000).toISOString();
    const fired = async () => (await h.app.store.db.selectFrom('executions').select('input_data').where('workflow_id', '=', wf).orderBy('created_at').execute())
      .map((r) => (JSON.parse(r.input_data!) as { scheduled_at: string }).scheduled_at);

    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(h.app.store.db); // no room left in the WAL either (see above)
    fillToTheLastByte(filler);
    h.clock.advance(60_000);
    await eventually('the database to be seen full', () => Promise.resolve(h.app.availability.status), (st) => st === 'full');
    h.clock.advance(60_000);
    expect(await fired()).toEqual([]);

    unlinkSync(filler);
    expect(await eventually('the latest tick to fire', fired, (t) => t.length > 0)).toEqual([at(2)]);
    h.clock.advance(60_000);
    expect(await eventually('the next tick', fired, (t) => t.length > 1)).toEqual([at(2), at(3)]);
    expect(logLines.some((l) => l.includes('skipped 1 schedule tick(s) while the database was unavailable'))).toBe(true);
  }, 60_000);
});
