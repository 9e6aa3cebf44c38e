import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TestCluster } from '../support/cluster.js';
import { httpFixture, json } from '../support/http-fixture.js';

const HOSTS = ['db-a', 'db-b', 'db-c'];
const PER_HOST = 5;

/** trigger → call (holds 150 ms at the fixture, so overlapping runs of one host would be seen) → done. */
function keyedWorkflow(serverUrl: string) {
  return {
    name: 'One run per host',
    settings: { concurrency: { key: '{{ $trigger.host }}', limit: 1 } },
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'call', node_type: 'api_call', config: { url: `${serverUrl}/hold/{{ $trigger.host }}/{{ $trigger.n }}`, timeout_seconds: 10 } },
      { id: 'done', node_type: 'transform', config: { expression: '$trigger.n' } },
    ],
    edges: [{ source_node_id: 'start', target_node_id: 'call' }, { source_node_id: 'call', target_node_id: 'done' }],
  };
}

describe('cluster: concurrency keys hold across 2 API processes and 2 workers on PostgreSQL', () => {
  const cluster = new TestCluster();
  const active = new Map<string, number>();
  const maxActive = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    server = await httpFixture((req, res) => {
      const [, , host = '', n = ''] = req.url.split('/');
      active.set(host, (active.get(host) ?? 0) + 1);
      maxActive.set(host, Math.max(maxActive.get(host) ?? 0, active.get(host)!));
      arrivals.set(host, [...(arrivals.get(host) ?? []), Number(n)]);
      setTimeout(() => {
        active.set(host, active.get(host)! - 1);
        json(res, 200, { host, n: Number(n) });
      }, 150);
    });
  });
  afterAll(async () => {
    await cluster.close();
    await server.close();
  });

  it('each host runs one execution at a time, in the order they were started, whichever process started them', async () => {
    const first = await cluster.startApi();
    const second = await cluster.startApi();
    await cluster.startWorker();
    await cluster.startWorker();
    const key = first.key;
    const created = await api(first.url, key, 'POST', '/automation/workflows', keyedWorkflow(server.url));
    expect(created.status).toBe(201);
    const workflowId = (created.body as { id: string }).id;
    expect((await api(first.url, key, 'POST', `/automation/workflows/${workflowId}/activate`)).status).toBe(200);

    // Started one after the other (so each host's order is defined), alternating API processes.
    let i = 0;
    for (let n = 1; n <= PER_HOST; n++) {
      for (const host of HOSTS) {
        const url = i++ % 2 === 0 ? first.url : second.url;
        const r = await api(url, key, 'POST', `/automation/workflows/${workflowId}/execute`, { input_data: { host, n } });
        expect(r.status).toBe(202);
      }
    }
    const store = await cluster.openStore();
    try {
      for (;;) {
        const open = await store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n'))
          .where('status', 'not in', ['completed', 'failed', 'cancelled']).executeTakeFirstOrThrow();
        if (Number(open.n) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const rows = await store.db.selectFrom('executions').select(['status', 'concurrency_key', 'started_at', 'finished_at', 'input_data']).orderBy('started_at').execute();
      expect(rows).toHaveLength(HOSTS.length * PER_HOST);
      expect(rows.filter((r) => r.status !== 'completed')).toEqual([]);
      for (const host of HOSTS) {
        expect(maxActive.get(host)).toBe(1);
        expect(arrivals.get(host)).toEqual([1, 2, 3, 4, 5]);
        const mine = rows.filter((r) => r.concurrency_key === host);
        for (let k = 1; k < mine.length; k++) expect(mine[k]!.started_at!).toBeGreaterThanOrEqual(mine[k - 1]!.finished_at!);
      }
      const span = Math.max(...rows.map((r) => r.finished_at!)) - Math.min(...rows.map((r) => r.started_at!));
      console.info(`cluster concurrency keys: ${rows.length} executions over ${HOSTS.length} keys in ${span} ms`);
      // Different hosts did run at the same time.
      expect(Math.max(...[...maxActive.values()])).toBe(1);
      expect(server.maxActive).toBeGreaterThan(1);
    } finally {
      await store.close();
    }
  }, 300_000);
});
