import autocannon from 'autocannon';
import type { BenchRow } from './bench-row.js';
import { withBenchServer } from './bench-server.js';

const SUITE = 'api (SQLite, real HTTP)';

/** trigger → transform → transform over a 20-item input: the request a dashboard "run" button sends. */
const WORKFLOW = {
  name: 'bench-3-nodes',
  nodes: [
    { id: 'start', node_type: 'trigger', config: {} },
    { id: 'score', node_type: 'transform', config: { expression: '$input.items.{ "id": id, "score": value * 2 }' } },
    { id: 'total', node_type: 'transform', config: { expression: '$sum($input.score)' } },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'score' }, { source_node_id: 'score', target_node_id: 'total' }],
};
const INPUT = { input_data: { items: Array.from({ length: 20 }, (_, i) => ({ id: `item-${i}`, value: i })) } };

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** autocannon on a worker thread, so the load generator does not share the server's event loop. */
async function load(url: string, opts: { method: 'GET' | 'POST'; body?: string; connections: number; seconds: number; key: string }): Promise<Load> {
  const r = await autocannon({
    url, method: opts.method, connections: opts.connections, duration: opts.seconds, workers: 1,
    headers: { authorization: `Bearer ${opts.key}`, 'content-type': 'application/json' },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/**
 * Starts a real server on SQLite in a temp dir in this process and loads it over loopback with
 * autocannon (bounded: `seconds` per run). Goal: 5,000 executions/s at 50 connections, p99 ≤ 15 ms.
 */
export async function apiBenchmarks(opts: { seconds?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env['BENCH_SECONDS'] ?? 10);
  return withBenchServer('api', WORKFLOW, async ({ base, headers, key, workflowId }) => {
    const execute = `${base}/automation/workflows/${workflowId}/execute`;
    const body = JSON.stringify(INPUT);
    await load(execute, { method: 'POST', body, connections: 10, seconds: 2, key }); // warm-up: JIT, statement caches
    const rows: BenchRow[] = [];
    for (const connections of [10, 50]) {
      const r = await load(execute, { method: 'POST', body, connections, seconds, key });
      const note = `p50 ${r.p50} ms; ${r.non2xx} non-2xx, ${r.errors} errors`;
      rows.push({ suite: SUITE, name: `POST execute, ${connections} connections`, value: r.rps, unit: 'executions/s', ...(connections === 50 ? { goal: '>= 5,000', met: r.rps >= 5000 } : {}), note });
      rows.push({ suite: SUITE, name: `POST execute p99, ${connections} connections`, value: r.p99, unit: 'ms', ...(connections === 50 ? { goal: '<= 15', met: r.p99 <= 15 } : {}) });
    }
    const one = (await (await fetch(execute, { method: 'POST', headers, body })).json()) as { id: string };
    const get = await load(`${base}/automation/executions/${one.id}`, { method: 'GET', connections: 10, seconds, key });
    rows.push({ suite: SUITE, name: 'GET execution p99, 10 connections', value: get.p99, unit: 'ms', goal: '<= 15', met: get.p99 <= 15, note: `${Math.round(get.rps)} req/s, p50 ${get.p50} ms` });
    return rows;
  });
}
