import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { buildServer } from '../src/api/server.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { newId } from '../src/model/ids.js';
import type { Store } from '../src/store/connect.js';
import { pruneFinishedExecutions } from '../src/store/execution-retention.js';
import type { BenchRow } from './bench-row.js';
import { fillHistory } from './history-fill.js';

const PG_URL = process.env['ITW_BENCH_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
const DAY_MS = 86_400_000;
/** The workflow: webhook → transform → respond with a 1.2 KB, 20-item JSON body. */
const WORKFLOW = {
  name: 'bench-history',
  nodes: [
    { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'bench/history', auth: { mode: 'none' }, response: { mode: 'result', node_id: 'score', timeout_seconds: 30 } } },
    { id: 'score', node_type: 'transform', config: { expression: '{"total": $sum($trigger.body.items.value), "count": $count($trigger.body.items)}' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'score' }],
};
const BODY = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: `item-${i}`, name: `item number ${i}`, value: i, ok: i % 3 !== 0 })) });

interface Timing {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function timing(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  return { p50: at(50), p99: at(99), max: s[s.length - 1] ?? 0 };
}

/**
 * `npm run bench -- history`: fills a store with BENCH_HISTORY_EXECUTIONS (default 200,000)
 * executions of the webhook workflow spread over 30 days, through the store's commit, then measures
 * every history read through the real server over loopback HTTP (p50/p99 of BENCH_HISTORY_REQUESTS
 * each), /health while heavy reads run, the event-loop delay during reads and during pruning half the
 * history, and the bytes stored per execution. BENCH_HISTORY_DIALECTS: sqlite,postgres.
 */
export async function historyBenchmarks(): Promise<BenchRow[]> {
  const n = Number(process.env['BENCH_HISTORY_EXECUTIONS'] ?? 200_000);
  const rows: BenchRow[] = [];
  for (const dialect of (process.env['BENCH_HISTORY_DIALECTS'] ?? 'sqlite,postgres').split(',')) {
    rows.push(...(await historyOn(dialect === 'postgres' ? 'postgres' : 'sqlite', n)));
  }
  return rows;
}

async function historyOn(dialect: 'sqlite' | 'postgres', n: number): Promise<BenchRow[]> {
  const suite = `history (${dialect}, ${n.toLocaleString('en-US')} executions)`;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'itw-history-bench-'));
  const schema = `bench_history_${Date.now().toString(36)}`;
  const config = loadConfig({}, { dataDir: dir, logLevel: 'warn', templatesDir: join(dir, 'none'), retentionDays: 0, ...(dialect === 'postgres' ? { databaseUrl: PG_URL } : {}) });
  const app = await createApp(config, dialect === 'postgres' ? { schema } : {});
  const server = await buildServer(app, config);
  const rows: BenchRow[] = [];
  const row = (name: string, value: number, unit: string, extra: Partial<BenchRow> = {}) => rows.push({ suite, name, value, unit, ...extra });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const { key } = await app.repos.apiKeys.create({ name: 'bench', role: 'admin' });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const wf = (await (await fetch(`${base}/automation/workflows`, { method: 'POST', headers, body: JSON.stringify(WORKFLOW) })).json()) as { id: string };
    await fetch(`${base}/automation/workflows/${wf.id}/activate`, { method: 'POST', headers });
    const answer = await fetch(`${base}/webhooks/bench/history`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
    if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
    const [first] = (await app.repos.executions.list({ workflowId: wf.id, limit: 1 })).items;
    const loaded = await app.store.engine.loadExecution(first!.id);
    const template = { execution: loaded!.execution, runs: loaded!.runs, logs: await app.store.engine.listLogs(first!.id) };

    const end = Date.now() - 60_000;
    log(`${suite}: filling`);
    const rate = await fillHistory(app.store, template, n, end, 30, log);
    row('fill through the store (engine commit path, rollups included)', rate, 'executions/s');
    if (dialect === 'postgres') await sql`ANALYZE`.execute(app.store.db); // what autovacuum does after a bulk load
    const bytes = await storedBytes(app.store, schema);
    row('stored per execution (tables + indexes)', bytes / (n + 1) / 1024, 'KB', { goal: '<= 2.5', met: bytes / (n + 1) / 1024 <= 2.5 });

    const get = async (path: string): Promise<number> => {
      const t0 = performance.now();
      // A keep-alive socket left idle through the fill may have been closed by the server: one retry.
      const r = await fetch(`${base}${path}`, { headers }).catch(() => fetch(`${base}${path}`, { headers }));
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
      return performance.now() - t0;
    };
    const mid = newId('ex', end - 15 * DAY_MS);
    const reads: Array<[string, string]> = [
      ['workflow metrics', `/automation/workflows/${wf.id}/metrics`],
      ['Prometheus scrape', '/metrics'],
      ['dashboard', '/automation/metrics/dashboard'],
      ['workflow executions, limit 50', `/automation/workflows/${wf.id}/executions?limit=50`],
      ['executions, limit 50', '/automation/executions?limit=50'],
      ['executions status=failed', '/automation/executions?status=failed&limit=50'],
      ['executions workflow + status=completed', `/automation/executions?workflow_id=${wf.id}&status=completed&limit=50`],
      ['executions since 1 day', `/automation/executions?since=${new Date(end - DAY_MS).toISOString()}&limit=50`],
      ['executions until 15 days ago', `/automation/executions?until=${new Date(end - 15 * DAY_MS).toISOString()}&limit=50`],
      ['executions page at 15 days (cursor)', `/automation/executions?limit=50&cursor=${mid}`],
      ['execution detail', `/automation/executions/${first!.id}`],
    ];
    const requests = Number(process.env['BENCH_HISTORY_REQUESTS'] ?? 200);
    (globalThis as { gc?: () => void }).gc?.();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    for (const [name, path] of reads) {
      for (let i = 0; i < 5; i++) await get(path); // warm-up: statement caches, JIT
      loop.reset();
      loop.enable();
      const samples: number[] = [];
      for (let i = 0; i < requests; i++) samples.push(await get(path));
      loop.disable();
      const t = timing(samples);
      row(`GET ${name} p99`, t.p99, 'ms', { goal: '<= 50', met: t.p99 <= 50, note: `p50 ${t.p50.toFixed(1)} ms, max ${t.max.toFixed(1)} ms; event loop max delay ${(loop.max / 1e6).toFixed(1)} ms` });
    }

    // /health pinged every 5 ms while the heaviest reads run back to back.
    const health = await whileRunning(get, async () => {
      for (let i = 0; i < requests; i++) {
        await get(reads[0]![1]);
        await get(reads[1]![1]);
      }
    });
    row('/health p99 during metrics reads + scrapes', health.health.p99, 'ms', { goal: '<= 20', met: health.health.p99 <= 20, note: `max ${health.health.max.toFixed(1)} ms; event loop max delay ${health.loopMax.toFixed(1)} ms` });

    log(`${suite}: pruning the older half`);
    // The fill's garbage is the bench's own (the store holds none of it): collected before the
    // measured phase, so a full GC of it is not counted as a stall of the server.
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    let pruned = 0;
    const prune = await whileRunning(get, async () => {
      pruned = await pruneFinishedExecutions(app.store.db, end - 15 * DAY_MS, { dialect, pace: app.store.pace });
    });
    const seconds = (performance.now() - t0) / 1000;
    row('retention: prune half the history', pruned / seconds, 'executions/s', { note: `${pruned.toLocaleString('en-US')} in ${seconds.toFixed(1)} s` });
    row('/health p99 during pruning', prune.health.p99, 'ms', { goal: '<= 20', met: prune.health.p99 <= 20, note: `max ${prune.health.max.toFixed(1)} ms; event loop max delay ${prune.loopMax.toFixed(1)} ms` });
    const after = await storedBytes(app.store, schema);
    row('store size after pruning', after / 2 ** 20, 'MiB', { note: `before ${(bytes / 2 ** 20).toFixed(0)} MiB${dialect === 'postgres' ? ' (PostgreSQL: reused by later inserts once autovacuum has run)' : ''}` });
    return rows;
  } finally {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (dialect === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
    }
  }
}

async function whileRunning(get: (path: string) => Promise<number>, work: () => Promise<void>): Promise<{ health: Timing; loopMax: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const samples: number[] = [];
  let done = false;
  const pinger = (async () => {
    while (!done) {
      samples.push(await get('/health'));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  loop.enable();
  try {
    await work();
  } finally {
    done = true;
    loop.disable();
    await pinger;
  }
  return { health: timing(samples), loopMax: loop.max / 1e6 };
}

async function storedBytes(store: Store, schema: string): Promise<number> {
  if (store.dialect === 'sqlite') {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
    const pages = await sql<{ page_count: number }>`PRAGMA page_count`.execute(store.db);
    const size = await sql<{ page_size: number }>`PRAGMA page_size`.execute(store.db);
    return Number(pages.rows[0]?.page_count) * Number(size.rows[0]?.page_size);
  }
  const r = await sql<{ bytes: string | number }>`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
    JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = ${schema} AND c.relkind = 'r'`.execute(store.db);
  return Number(r.rows[0]?.bytes);
}
