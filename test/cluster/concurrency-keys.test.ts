import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents } from '../api/sse-client.js';
import { api, TestCluster } from '../support/cluster.js';
import { httpFixture, json } from '../support/http-fixture.js';
import { sandboxPath } from '../support/sandbox-path.js';

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

describe('cluster: concurrency keys and live output across 2 API processes and 2 workers on PostgreSQL', () => {
  // A directory the workers' sandboxed commands share with the test (the live output test's gate).
  const shared = sandboxPath('itw-cluster-live-');
  const cluster = new TestCluster({ ITW_SANDBOX_PATHS: shared });
  let first: Awaited<ReturnType<TestCluster['startApi']>>;
  let second: Awaited<ReturnType<TestCluster['startApi']>>;
  const active = new Map<string, number>();
  const maxActive = new Map<string, number>();
  const arrivals = new Map<string, number[]>();
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    first = await cluster.startApi();
    second = await cluster.startApi();
    await cluster.startWorker();
    await cluster.startWorker();
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
  }, 240_000);
  afterAll(async () => {
    await cluster.close();
    await server.close();
  });

  it('each host runs one execution at a time, in the order they were started, whichever process started them', async () => {
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

  it('a step run by a worker streams its output lines to an API process\'s event stream', async () => {
    const key = first.key;
    const gate = join(shared, 'gate');
    const created = await api(first.url, key, 'POST', '/automation/workflows', {
      name: 'Worker output',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'build', node_type: 'action', config: { action_type: 'execute_command', shell: true, cwd: shared, timeout_seconds: 120, command: `echo "compiling"; echo "warn" >&2; while [ ! -e ${gate} ]; do sleep 0.05; done; echo "linked"` } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'build' }],
    });
    const workflowId = (created.body as { id: string }).id;
    expect((await api(first.url, key, 'POST', `/automation/workflows/${workflowId}/activate`)).status).toBe(200);
    const run = await api(second.url, key, 'POST', `/automation/workflows/${workflowId}/execute`, { input_data: {} });
    const id = (run.body as { id: string }).id;
    // The worker's command waits for the file the test writes only once the API process streamed its first line.
    const stream = await openEvents(`${first.url}/automation/executions/${id}/events`, { authorization: `Bearer ${key}` });
    await stream.until((m) => m.event === 'node.output' && m.data.line === 'compiling');
    writeFileSync(gate, '');
    await stream.ended;
    const lines = stream.messages.filter((m) => m.event === 'node.output').map((m) => m.data as { stream: string; line: string; sequence: number }).map((l) => [l.stream, l.line, l.sequence]);
    expect(lines).toEqual([['stdout', 'compiling', 1], ['stderr', 'warn', 2], ['stdout', 'linked', 3]]);
    expect(stream.messages.at(-1)).toMatchObject({ event: 'execution', data: { status: 'completed' } });
  }, 120_000);
});
