import autocannon from 'autocannon';
import type { BenchRow } from './bench-row.js';
import { withBenchServer } from './bench-server.js';

const SUITE = 'triggers (SQLite, real HTTP)';

/** webhook (result mode) → transform → respond with the transform's output: a workflow as a synchronous hook. */
const WORKFLOW = {
  name: 'bench-webhook-respond',
  nodes: [
    { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'bench/score', auth: { mode: 'none' }, response: { mode: 'result', node_id: 'score', timeout_seconds: 30 } } },
    { id: 'score', node_type: 'transform', config: { expression: '{"total": $sum($trigger.body.items.value), "count": $count($trigger.body.items)}' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'score' }],
};
const BODY = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: `item-${i}`, value: i })) });

/**
 * A real server on SQLite in this process, loaded over loopback by autocannon on a worker thread:
 * POST /webhooks/bench/score waits for the execution to complete and answers with a node's output.
 * Every request is a persisted execution (checked by counting rows after each run). Bounded runs of
 * `seconds` (default 10) at 1, 10 and 50 connections.
 */
export async function triggerBenchmarks(opts: { seconds?: number } = {}): Promise<BenchRow[]> {
  const seconds = opts.seconds ?? Number(process.env['BENCH_SECONDS'] ?? 10);
  return withBenchServer('trigger', WORKFLOW, async ({ app, base, workflowId }) => {
    const url = `${base}/webhooks/bench/score`;
    const check = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY })).json()) as { total: number };
    if (check.total !== 190) throw new Error(`webhook answered ${JSON.stringify(check)}`);
    const count = async () => Number((await app.store.db.selectFrom('executions').select((eb) => eb.fn.countAll<number>().as('n')).where('workflow_id', '=', workflowId).where('status', '=', 'completed').executeTakeFirstOrThrow()).n);

    await autocannon({ url, method: 'POST', body: BODY, headers: { 'content-type': 'application/json' }, connections: 10, duration: 2, workers: 1 }); // warm-up
    const rows: BenchRow[] = [];
    for (const connections of [1, 10, 50]) {
      const before = await count();
      const r = await autocannon({ url, method: 'POST', body: BODY, headers: { 'content-type': 'application/json' }, connections, duration: seconds, workers: 1 });
      const persisted = (await count()) - before;
      const note = `p50 ${r.latency.p50} ms; ${r.non2xx} non-2xx, ${r.errors} errors; ${r.requests.total} answered, ${persisted} completed executions stored (in-flight ones at the cut-off included)`;
      rows.push({ suite: SUITE, name: `webhook → transform → respond, ${connections} conn`, value: r.requests.average, unit: 'req/s', note });
      rows.push({ suite: SUITE, name: `webhook → transform → respond p99, ${connections} conn`, value: r.latency.p99, unit: 'ms' });
    }
    return rows;
  });
}
