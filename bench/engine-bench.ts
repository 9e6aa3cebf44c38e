import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import type { VersionRecord } from '../src/engine/store-port.js';
import type { WorkflowDefinition, WorkflowNode } from '../src/model/types.js';
import type { BenchRow } from './bench-row.js';

const SUITE = 'engine (SQLite, in-process)';
const run = promisify(execFile);

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'itw-bench-'));
  const app = await createApp(loadConfig({}, { dataDir: dir }));
  try {
    return await fn(app);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function deploy(app: App, def: WorkflowDefinition): Promise<VersionRecord> {
  const { id } = await app.store.workflows.createWorkflow(def);
  return app.store.workflows.snapshotVersion(id, def);
}

function chain(length: number): WorkflowDefinition {
  const nodes: WorkflowNode[] = Array.from({ length }, (_, i) => ({ id: `t${i}`, node_type: 'transform', config: { expression: i === 0 ? '{"n": $trigger.n}' : '{"n": $input.n + 1}' } }));
  const edges = nodes.slice(1).map((nd, i) => ({ id: `e${i}`, source_node_id: `t${i}`, target_node_id: nd.id }));
  return { name: `chain-${length}`, nodes, edges };
}

/** Runs `total` executions keeping `window` in flight; returns elapsed ms until all are final. */
async function drive(app: App, version: VersionRecord, total: number, window: number, awaitFinal: boolean): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      const ex = await app.engine.startExecution({ version, input: { n: next } });
      if (awaitFinal && ex.status !== 'completed') await app.engine.waitForFinal(ex.id);
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  return performance.now() - t0;
}

async function nodeSteps(): Promise<BenchRow> {
  return withApp(async (app) => {
    const version = await deploy(app, chain(10));
    await drive(app, version, 500, 100, true); // warm-up: JIT, statement cache
    const total = 6000;
    const ms = await drive(app, version, total, 200, true);
    const steps = (total * 10) / (ms / 1000);
    return { suite: SUITE, name: 'node steps/s, 10-node transform chain', value: steps, unit: 'steps/s', goal: '>= 30,000', met: steps >= 30_000, note: `${total} executions, each node result persisted` };
  });
}

async function executions(): Promise<BenchRow> {
  return withApp(async (app) => {
    const def: WorkflowDefinition = {
      name: 'three',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'shape', node_type: 'transform', config: { expression: '{"host": $input.n, "ok": true}' } },
        { id: 'route', node_type: 'condition', config: { expression: '$input.ok' } },
      ],
      edges: [{ id: 'a', source_node_id: 'start', target_node_id: 'shape' }, { id: 'b', source_node_id: 'shape', target_node_id: 'route' }],
    };
    const version = await deploy(app, def);
    await drive(app, version, 1000, 200, false);
    const total = 20_000;
    const ms = await drive(app, version, total, 400, false);
    const rate = total / (ms / 1000);
    return { suite: SUITE, name: 'executions/s, 3-node workflow via engine API', value: rate, unit: 'exec/s', goal: '>= 8,000', met: rate >= 8000, note: 'started, run and committed' };
  });
}

/** Measured in a fresh child process: RSS in this one carries what earlier benchmarks left behind. */
async function parkedMemory(): Promise<BenchRow> {
  const child = fileURLToPath(new URL('./parked-memory-child.js', import.meta.url));
  const { stdout } = await run(process.execPath, ['--expose-gc', child], { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { rss_mb: number; heap_mb: number; waiting: number };
  return { suite: SUITE, name: 'RSS added by 10,000 executions parked in delays', value: r.rss_mb, unit: 'MB', goal: '< 100', met: r.rss_mb < 100 && r.waiting >= 10_000, note: `heap +${r.heap_mb.toFixed(1)} MB; ${r.waiting} executions waiting` };
}

async function loop(bodyType: 'transform' | 'action'): Promise<BenchRow> {
  return withApp(async (app) => {
    const body: WorkflowNode = bodyType === 'transform'
      ? { id: 'body', node_type: 'transform', config: { expression: '$item * 2' } }
      : { id: 'body', node_type: 'action', config: { action_type: 'log', message: 'item {{ $item }}', level: 'debug' } };
    const version = await deploy(app, {
      name: 'loop',
      nodes: [{ id: 'each', node_type: 'loop', config: { items: '[1..1000]', concurrency: 10 } }, body],
      edges: [{ id: 'a', source_node_id: 'each', target_node_id: 'body', source_handle: 'body' }],
    });
    const warm = await app.engine.startExecution({ version, input: {} });
    await app.engine.waitForFinal(warm.id);
    const t0 = performance.now();
    const ex = await app.engine.startExecution({ version, input: {} });
    const final = await app.engine.waitForFinal(ex.id);
    const ms = performance.now() - t0;
    if (final.status !== 'completed') throw new Error(`loop bench ended ${final.status}`);
    return { suite: SUITE, name: `1,000-item loop, concurrency 10, ${bodyType} body`, value: ms, unit: 'ms', goal: '< 1,000', met: ms < 1000, note: bodyType === 'action' ? 'body is an out-of-transaction step (leased, dispatched)' : 'inline body' };
  });
}

export async function engineBenchmarks(): Promise<BenchRow[]> {
  return [await nodeSteps(), await executions(), await parkedMemory(), await loop('transform'), await loop('action')];
}
