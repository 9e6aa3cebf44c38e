import { afterAll, describe, expect, it } from 'vitest';
import { api, TestCluster } from '../support/cluster.js';
import { echoWorkflow } from '../triggers/trigger-test-kit.js';

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

describe('cluster: a schedule fires once per tick across processes', () => {
  // Short resync so the processes that did not take the activation request start the schedule too.
  const cluster = new TestCluster({ ITW_TRIGGER_RESYNC_MS: '300' });
  afterAll(() => cluster.close());

  it('three API processes, a cron every second for 10 s: exactly 10 executions', async () => {
    const first = await cluster.startApi();
    const others = await Promise.all([cluster.startApi(), cluster.startApi()]);
    const { url, key } = first;
    const created = await api(url, key, 'POST', '/automation/workflows', echoWorkflow('every second', { trigger_type: 'schedule', cron: '* * * * * *' }));
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api(url, key, 'POST', `/automation/workflows/${id}/activate`)).status).toBe(200);

    // Every process runs the schedule after its next resync; count the ticks of a 10 s window after that.
    const from = Math.ceil((Date.now() + 2000) / 1000) * 1000;
    const to = from + 10_000;
    await sleepUntil(to + 1500);
    expect((await api(url, key, 'POST', `/automation/workflows/${id}/deactivate`)).status).toBe(200);

    const store = await cluster.openStore();
    try {
      const rows = await store.db.selectFrom('executions').select(['id', 'input_data']).where('workflow_id', '=', id).execute();
      const ticks = rows.map((r) => Date.parse((JSON.parse(r.input_data!) as { scheduled_at: string }).scheduled_at));
      const inWindow = ticks.filter((t) => t >= from && t < to).sort((a, b) => a - b);
      expect(inWindow).toEqual(Array.from({ length: 10 }, (_, i) => from + i * 1000));
      // Nothing outside the window fired twice either.
      expect(new Set(ticks).size).toBe(ticks.length);
      const claims = await store.db.selectFrom('trigger_ticks').select('claimed_by').where('tick_at', '>=', from).where('tick_at', '<', to).execute();
      console.info(`schedule test: ${claims.length} ticks claimed by ${new Set(claims.map((c) => c.claimed_by)).size} of 3 processes`);
    } finally {
      await store.close();
    }
    for (const p of [first, ...others]) p.process.proc.kill('SIGTERM');
    for (const p of [first, ...others]) expect(await p.process.exited).toBe(0);
  }, 90_000);
});
