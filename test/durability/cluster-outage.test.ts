import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TestCluster } from '../support/cluster.js';
import { DbLink } from '../support/db-link.js';
import { POSTGRES_URL } from '../support/harness.js';
import { eventually } from '../support/eventually.js';
import { delayedHook } from './delayed-hook.js';
import { terminateBackends, WebhookLoad } from './webhook-load.js';


const alive = (p: { exitCode: number | null; signalCode: NodeJS.Signals | null }) => p.exitCode === null && p.signalCode === null;

/**
 * Issue 21, cluster mode: one `itw serve --no-worker` and two `itw worker` processes reach their
 * database through a DbLink; their backends are terminated (57P01) and the port refuses connections
 * for a few seconds under webhook load, then the link comes back. No process is restarted.
 */
describe('cluster: PostgreSQL going away under webhook load', () => {
  const target = new URL(POSTGRES_URL);
  const link = new DbLink({ host: target.hostname, port: Number(target.port || 5432) });
  const applicationName = `itw_cldown_${process.pid}`;
  const cluster = new TestCluster({ ITW_DATABASE_PROBE_MS: '200' }, (url) => link.urlFor(url, applicationName));

  beforeAll(async () => {
    await link.open();
  });
  afterAll(async () => {
    await cluster.close();
    await link.cut();
  });

  it('every acknowledged delivery completes, the workers live on, and the API answers 503 database_unavailable meanwhile', async () => {
    const { url, key } = await cluster.startApi();
    const workers = [await cluster.startWorker(4), await cluster.startWorker(4)];
    const pids = workers.map((w) => w.process.proc.pid);
    const created = await api(url, key, 'POST', '/automation/workflows', delayedHook('Hook with a delay', 'load', 0.3));
    expect(created.status).toBe(201);
    const workflowId = (created.body as { id: string }).id;
    expect((await api(url, key, 'POST', `/automation/workflows/${workflowId}/activate`)).status).toBe(200);
    const health = async () => {
      const res = await fetch(`${url}/health`);
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
    };

    const load = new WebhookLoad(url, 'load', 4);
    const { acknowledged, byStatus, refusals } = load;
    await eventually('deliveries before the outage', () => Promise.resolve(acknowledged.length), (n) => n >= 60);

    // The "restart": every backend of this cluster ends with admin_shutdown, then the port refuses.
    expect(await terminateBackends(applicationName)).toBeGreaterThan(0);
    await link.cut();
    const cutAt = Date.now();
    const down = await eventually('/health to report the outage', health, (r) => r.status === 503);
    expect(down.type).toContain('application/problem+json');
    expect(down.body).toMatchObject({ status: 503, code: 'database_unavailable' });
    await eventually('a delivery refused with 503', () => Promise.resolve(refusals.length), (n) => n > 0);
    // Down for a few seconds: the workers' queue, listeners and heartbeats all fail meanwhile.
    await new Promise((r) => setTimeout(r, Math.max(0, 4000 - (Date.now() - cutAt))));
    const acknowledgedBeforeRestore = acknowledged.length;

    await link.restore();
    await eventually('/health back to 200', health, (r) => r.status === 200);
    await eventually('deliveries after the outage', () => Promise.resolve(acknowledged.length), (n) => n >= acknowledgedBeforeRestore + 40);
    await load.stop();

    // Nothing answered 500; every refusal said what it was and when to come back.
    expect(byStatus.get(500) ?? 0).toBe(0);
    expect([...byStatus.keys()].sort()).toEqual([202, 503]);
    for (const r of refusals) {
      expect(r).toMatchObject({ status: 503, type: expect.stringContaining('application/problem+json') as unknown, body: { code: 'database_unavailable' } });
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }

    const store = await cluster.openStore();
    try {
      // Every acknowledged execution completes on the same worker processes: no job lost in the outage.
      const pending = await eventually(
        `all ${acknowledged.length} acknowledged executions to complete`,
        async () => {
          const rows = await store.db.selectFrom('executions').select(['id', 'status']).where('workflow_id', '=', workflowId).execute();
          const status = new Map(rows.map((r) => [r.id, r.status]));
          return acknowledged.filter((id) => status.get(id) !== 'completed').map((id) => `${id}:${status.get(id) ?? 'missing'}`);
        },
        (left) => left.length === 0,
        25_000,
      );
      expect(pending).toEqual([]);
      for (const w of workers) expect(alive(w.process.proc), `worker ${w.owner} exited (${w.process.proc.exitCode ?? w.process.proc.signalCode})`).toBe(true);
      // Both workers are members again under their own pids (they rejoined rather than restarted).
      const members = await eventually(
        'both workers heartbeating again',
        () => store.db.selectFrom('cluster_members').select(['pid', 'role']).where('role', '=', 'worker').execute(),
        (rows) => pids.every((pid) => rows.some((r) => r.pid === pid)),
      );
      expect(members.map((m) => m.pid).sort()).toEqual([...pids].sort());
    } finally {
      await store.close();
    }
    expect((await health()).body).toEqual({ status: 'ok', dialect: 'postgres' });
  }, 60_000);
});
