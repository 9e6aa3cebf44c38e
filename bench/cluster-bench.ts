import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp, type App } from '../src/app.js';
import type { ProcessRole } from '../src/cluster/cluster-node.js';
import { loadConfig } from '../src/config/config.js';
import type { VersionRecord } from '../src/engine/store-port.js';
import type { WorkflowDefinition, WorkflowNode } from '../src/model/types.js';
import type { BenchRow } from './bench-row.js';
import { cpuMs } from './process-cpu.js';

const SUITE = 'cluster';
const PG_URL = process.env['ITW_BENCH_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
const ITW_BIN = fileURLToPath(new URL('../../bin/itw.js', import.meta.url));
const STEPS = 10;

/** A chain of 10 `log` actions: every step is leased, so in a cluster every step is a queue job. */
function actionChain(): WorkflowDefinition {
  const nodes: WorkflowNode[] = [
    { id: 'in', node_type: 'trigger', config: { trigger_type: 'manual' } },
    ...Array.from({ length: STEPS }, (_, i): WorkflowNode => ({ id: `a${i}`, node_type: 'action', config: { action_type: 'log', message: `step ${i}` } })),
  ];
  const edges = nodes.slice(1).map((nd, i) => ({ id: `e${i}`, source_node_id: nodes[i]!.id, target_node_id: nd.id }));
  return { name: 'action-chain', nodes, edges };
}

interface Setup {
  readonly label: string;
  readonly app: App;
  /** `itw worker` processes (empty when the API process runs the steps itself). */
  readonly workerPids: readonly number[];
  /** Whether PostgreSQL (on this machine) does the storing. */
  readonly postgres: boolean;
  stop(): Promise<void>;
}

async function sqliteSetup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'itw-bench-'));
  const app = await createApp(loadConfig({}, { dataDir: dir }), { triggers: false });
  return { label: 'SQLite, 1 process', app, workerPids: [], postgres: false, stop: async () => { await app.close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function postgresSetup(workers: number): Promise<Setup> {
  const schema = `itw_bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'itw-bench-'));
  const key = randomBytes(32).toString('hex');
  const role: ProcessRole = workers === 0 ? 'standalone' : 'api';
  const linkSecret = randomBytes(24).toString('hex');
  const app = await createApp(loadConfig({}, { dataDir: dir, databaseUrl: PG_URL, encryptionKey: key, approvalLinkSecret: linkSecret }), { schema, role, triggers: false });
  const procs: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) {
    const proc = spawn(process.execPath, [ITW_BIN, 'worker', '--concurrency', '64'], {
      env: { ...process.env, ITW_DATABASE_URL: PG_URL, ITW_DATABASE_SCHEMA: schema, ITW_QUEUE_SCHEMA: `${schema}_jobs`, ITW_ENCRYPTION_KEY: key, ITW_APPROVAL_LINK_SECRET: linkSecret, ITW_DATA_DIR: dir, ITW_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => { if (d.toString().includes('running up to')) resolve(); });
      proc.on('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
    procs.push(proc);
  }
  const label = workers === 0 ? 'PostgreSQL, 1 process' : `PostgreSQL, 1 API + ${workers} worker${workers > 1 ? 's' : ''}`;
  return {
    label, app, workerPids: procs.map((p) => p.pid!), postgres: true,
    stop: async () => {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.on('exit', r)))));
      await app.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `total` executions, `window` in flight; returns elapsed ms and the ids. */
async function drive(app: App, version: VersionRecord, total: number, window: number): Promise<{ ms: number; ids: string[] }> {
  let next = 0;
  const ids: string[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: window }, async () => {
    while (next < total) {
      next++;
      const ex = await app.engine.startExecution({ version, input: { n: next } });
      ids.push(ex.id);
      const final = await app.engine.waitForFinal(ex.id);
      if (final.status !== 'completed') throw new Error(`execution ${ex.id} ended ${final.status}`);
    }
  }));
  return { ms: performance.now() - t0, ids };
}

/** Step-to-step time: from one step's result being recorded to the next one's, in each chain. */
async function handOffs(app: App, ids: readonly string[]): Promise<number[]> {
  const gaps: number[] = [];
  for (const id of ids.slice(0, 300)) {
    const loaded = await app.store.engine.loadExecution(id);
    const finished = loaded!.runs.filter((r) => r.node_id.startsWith('a')).sort((a, b) => Number(a.node_id.slice(1)) - Number(b.node_id.slice(1))).map((r) => r.finished_at!);
    for (let i = 1; i < finished.length; i++) gaps.push(finished[i]! - finished[i - 1]!);
  }
  return gaps.sort((a, b) => a - b);
}

/**
 * CPU each part of the setup spends while the measured executions run: the API process (this one),
 * the workers, and PostgreSQL's processes. Per action step, it says where a faster machine or more
 * machines would help (docs/DEPLOYMENT.md, "Sizing a cluster").
 */
function cpuReader(setup: Setup): () => Array<[string, number]> {
  const api0 = process.cpuUsage();
  const workers0 = setup.workerPids.map((pid) => cpuMs({ pid }));
  const pg0 = setup.postgres ? cpuMs({ name: 'postgres' }) : 0;
  return () => {
    const api = process.cpuUsage(api0);
    const parts: Array<[string, number]> = [['API process', (api.user + api.system) / 1000]];
    if (setup.workerPids.length > 0) parts.push(['workers', setup.workerPids.reduce((sum, pid, i) => sum + cpuMs({ pid }) - workers0[i]!, 0)]);
    if (setup.postgres) parts.push(['PostgreSQL', cpuMs({ name: 'postgres' }) - pg0]);
    return parts;
  };
}

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function measure(setup: Setup, total: number): Promise<BenchRow[]> {
  try {
    const def = actionChain();
    const { id } = await setup.app.store.workflows.createWorkflow(def);
    const version = await setup.app.store.workflows.snapshotVersion(id, def);
    await drive(setup.app, version, 100, 50); // warm-up
    const cpu = cpuReader(setup);
    const { ms, ids } = await drive(setup.app, version, total, 200);
    const used = cpu();
    const gaps = await handOffs(setup.app, ids);
    // Latency without queueing: one execution at a time.
    const alone = await handOffs(setup.app, (await drive(setup.app, version, 30, 1)).ids);
    const steps = (total * STEPS) / (ms / 1000);
    const isTarget = setup.label.includes('2 workers');
    return [
      { suite: SUITE, name: `${setup.label}: action steps/s (10-step chain, 200 in flight)`, value: Math.round(steps), unit: 'steps/s', ...(isTarget ? { goal: '>= 5000', met: steps >= 5000 } : {}) },
      { suite: SUITE, name: `${setup.label}: executions/s`, value: Math.round(total / (ms / 1000)), unit: 'exec/s' },
      { suite: SUITE, name: `${setup.label}: hand-off p50, 200 in flight`, value: pct(gaps, 0.5), unit: 'ms', note: `p99 ${pct(gaps, 0.99)} ms` },
      ...used.map(([who, cpuMsUsed]) => ({
        suite: SUITE, name: `${setup.label}: CPU per action step, ${who}`, value: Number((cpuMsUsed / (total * STEPS)).toFixed(3)), unit: 'ms/step',
        note: `${((cpuMsUsed / ms) * 100).toFixed(0)}% of one core over the run`,
      })),
      { suite: SUITE, name: `${setup.label}: hand-off p50, 1 in flight`, value: pct(alone, 0.5), unit: 'ms', note: `p99 ${pct(alone, 0.99)} ms`, ...(isTarget ? { goal: 'p50 <= 10', met: pct(alone, 0.5) <= 10 } : {}) },
    ];
  } finally {
    await setup.stop();
  }
}

export async function clusterBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // ITW_BENCH_WORKERS=2 runs just that setup (profiling); otherwise all four.
  const only = process.env['ITW_BENCH_WORKERS'];
  if (only !== undefined) return measure(await postgresSetup(Number(only)), 1000);
  rows.push(...(await measure(await sqliteSetup(), 2000)));
  rows.push(...(await measure(await postgresSetup(0), 1000)));
  rows.push(...(await measure(await postgresSetup(1), 1000)));
  rows.push(...(await measure(await postgresSetup(2), 1000)));
  return rows;
}
