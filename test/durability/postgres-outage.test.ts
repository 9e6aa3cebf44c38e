import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { DbLink } from '../support/db-link.js';
import { POSTGRES_URL } from '../support/harness.js';
import { deployActive } from '../triggers/trigger-test-kit.js';
import { eventually } from '../support/eventually.js';
import { delayedHook } from './delayed-hook.js';
import { terminateBackends, WebhookLoad } from './webhook-load.js';


const DELAYED = delayedHook('Hook with a delay', 'load', 0.3);

/**
 * Issue 21: a PostgreSQL restart under webhook load left acknowledged executions `waiting` for good
 * and answered 500 meanwhile. Here the server's own backends are terminated (57P01) and its
 * database port refuses connections for a while (a DbLink in front of the shared server), then
 * comes back; the process is never restarted.
 */
describe('PostgreSQL going away under webhook load', () => {
  const target = new URL(POSTGRES_URL);
  const link = new DbLink({ host: target.hostname, port: Number(target.port || 5432) });
  const applicationName = `itw_dbdown_${process.pid}`;
  const metricsToken = 'metrics-token-for-the-outage-test';
  let s: ApiServer;

  beforeAll(async () => {
    await link.open();
    s = await startApiServer(
      { name: 'postgres', url: link.urlFor(POSTGRES_URL, applicationName), label: 'postgres via link' },
      { config: { databaseProbeMs: 100, metricsToken } },
    );
  });
  afterAll(async () => {
    await s.close();
    await link.cut();
  });

  const health = () => s.call('GET', '/health', { as: null });
  const metrics = async () => (await s.call('GET', '/metrics', { as: null, headers: { authorization: `Bearer ${metricsToken}` } })).text;

  it('every acknowledged delivery completes without a restart; meanwhile 503 database_unavailable with Retry-After, /health 503, itw_database_up 0', async () => {
    const wf = await deployActive(s, DELAYED);
    const load = new WebhookLoad(s.url, 'load', 10);
    const { acknowledged, byStatus, refusals } = load;
    await eventually('deliveries before the outage', () => Promise.resolve(acknowledged.length), (n) => n >= 100);

    // The "restart": the server's backends end with admin_shutdown, then the port refuses connections.
    expect(await terminateBackends(applicationName)).toBeGreaterThan(0);
    await link.cut();
    const down = await eventually('/health to report the outage', health, (r) => r.status === 503);
    expect(down.headers.get('content-type')).toContain('application/problem+json');
    expect(down.body).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(down.body.detail).toMatch(/unavailable \(/);
    await eventually('a delivery refused with 503', () => Promise.resolve(refusals.length), (n) => n > 0);
    expect(await metrics()).toMatch(/^itw_database_up 0$/m);
    const acknowledgedBeforeRestore = acknowledged.length;

    await link.restore();
    await eventually('/health back to 200', health, (r) => r.status === 200);
    await eventually('deliveries after the outage', () => Promise.resolve(acknowledged.length), (n) => n >= acknowledgedBeforeRestore + 50);
    await load.stop();

    // Nothing answered 500; every refusal said what it was and when to come back.
    expect(byStatus.get(500) ?? 0).toBe(0);
    expect([...byStatus.keys()].sort()).toEqual([202, 503]);
    for (const r of refusals) {
      expect(r).toMatchObject({ status: 503, type: expect.stringContaining('application/problem+json') as unknown, body: { code: 'database_unavailable' } });
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    // Every acknowledged execution completes in this process: no wake-up or commit lost in the outage.
    const pending = await eventually(
      `all ${acknowledged.length} acknowledged executions to complete`,
      async () => {
        const rows = await s.app.store.db.selectFrom('executions').select(['id', 'status']).where('workflow_id', '=', wf).execute();
        const status = new Map(rows.map((r) => [r.id, r.status]));
        return acknowledged.filter((id) => status.get(id) !== 'completed').map((id) => `${id}:${status.get(id) ?? 'missing'}`);
      },
      (left) => left.length === 0,
      20_000,
    );
    expect(pending).toEqual([]);
    expect(await metrics()).toMatch(/^itw_database_up 1$/m);
    expect((await health()).body).toEqual({ status: 'ok', dialect: 'postgres' });
  }, 60_000);
});
