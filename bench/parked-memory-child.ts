import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';

/**
 * Runs in its own process (see engine-bench.ts) so the RSS it reports is not blurred by what earlier
 * benchmarks left on the heap. Prints one JSON line: RSS and heap added by 10,000 parked executions.
 */
const dir = mkdtempSync(join(tmpdir(), 'itw-bench-parked-'));
const app = await createApp(loadConfig({}, { dataDir: dir }));
const def = {
  name: 'parked',
  nodes: [{ id: 'wait', node_type: 'delay' as const, config: { seconds: 3600 } }, { id: 'after', node_type: 'transform' as const, config: { expression: '1' } }],
  edges: [{ id: 'a', source_node_id: 'wait', target_node_id: 'after' }],
};
const { id } = await app.store.workflows.createWorkflow(def);
const version = await app.store.workflows.snapshotVersion(id, def);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const park = async (count: number) => {
  let started = 0;
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (started < count) {
      started++;
      await app.engine.startExecution({ version, input: { n: started } });
    }
  }));
};
await park(500);
gc();
const before = process.memoryUsage();
await park(10_000);
await new Promise((r) => setTimeout(r, 200));
gc();
const after = process.memoryUsage();
const waiting = await app.store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n')).where('status', '=', 'waiting').executeTakeFirstOrThrow();
console.log(JSON.stringify({ rss_mb: (after.rss - before.rss) / 2 ** 20, heap_mb: (after.heapUsed - before.heapUsed) / 2 ** 20, waiting: Number(waiting.n) }));
await app.close();
rmSync(dir, { recursive: true, force: true });
