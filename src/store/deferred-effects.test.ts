import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, execution, openTestStore, run } from '../../test/store/fixtures.js';
import type { TestStore } from '../../test/store/fixtures.js';
import { prng } from '../../test/support/prng.js';
import type { ExecutionRecord, NodeRunRecord, Transition } from '../engine/store-port.js';
import { BatchEffects } from './batch-effects.js';
import { openStore } from './connect.js';
import { EffectsFlusher, journalText, type DeferredEffectsStore } from './deferred-effects.js';
import type { Logger } from '../model/logger.js';
import type { Store } from './connect.js';

function transition(executionId: string, parts: Partial<Transition>): Transition {
  return { executionId, insertRuns: [], updateRuns: [], logs: [], ...parts };
}

const HOUR = 3_600_000;
/** Journal rows left by the "crash": more than one SQLite flush chunk (64 KiB of journal text). */
const LEFT = 400;
const STATUSES = ['completed', 'failed', 'cancelled'] as const;
const NODE_STATUSES = ['completed', 'failed', 'skipped'] as const;

/** A finished execution with its runs: workflow `${prefix}${k}`, times across hour and day boundaries, durations fractional or absent. */
function generated(rand: () => number, prefix: string, i: number): { x: ExecutionRecord; runs: NodeRunRecord[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const created = 1_700_000_000_000 + Math.floor(rand() * 60) * HOUR + Math.floor(rand() * HOUR);
  const duration = rand() < 0.2 ? null : rand() < 0.5 ? Math.floor(rand() * 5_000) : rand() * 90_000;
  const finished = rand() < 0.1 ? null : created + Math.round(duration ?? rand() * 2 * HOUR);
  const id = `ex_${prefix}_${i}`;
  const x = execution(id, { workflow_id: `${prefix}${Math.floor(rand() * 2)}`, status: pick(STATUSES), created_at: created, finished_at: finished, duration_ms: duration });
  const runs = Array.from({ length: Math.floor(rand() * 5) }, (_, k) => run(`run_${prefix}_${i}_${k}`, id, {
    node_id: pick(['fetch', 'check', 'notify']), attempt: k + 1, status: pick(NODE_STATUSES),
    duration_ms: rand() < 0.3 ? null : rand() < 0.5 ? Math.floor(rand() * 900) : rand() * 900, lease_owner: null, lease_expires_at: null,
  }));
  return { x, runs };
}

interface RollupRows {
  executions: unknown[];
  sketches: unknown[];
  nodes: unknown[];
}

/** The rollup tables summed over shards, for the workflows starting with `prefix` (renamed to `wf`), in key order. */
async function rollups(store: Store, prefix: string): Promise<RollupRows> {
  const db = store.db;
  const rename = (w: string) => `wf${w.slice(prefix.length)}`;
  const n = (v: unknown) => (v === null ? null : Number(v));
  const executions = await db.selectFrom('execution_rollups')
    .select((eb) => ['workflow_id', 'bucket_start', 'status', eb.fn.sum('executions').as('n'), eb.fn.sum('duration_count').as('dc'), eb.fn.sum('duration_sum').as('ds'), eb.fn.min('duration_min').as('dmin'), eb.fn.max('duration_max').as('dmax')])
    .where('workflow_id', 'like', `${prefix}%`).groupBy(['workflow_id', 'bucket_start', 'status']).orderBy('workflow_id').orderBy('bucket_start').orderBy('status').execute();
  const sketches = await db.selectFrom('duration_sketches')
    .select((eb) => ['workflow_id', 'bucket_start', 'idx', eb.fn.sum('n').as('n')])
    .where('workflow_id', 'like', `${prefix}%`).groupBy(['workflow_id', 'bucket_start', 'idx']).orderBy('workflow_id').orderBy('bucket_start').orderBy('idx').execute();
  const nodes = await db.selectFrom('node_rollups')
    .select((eb) => ['workflow_id', 'node_id', 'bucket_start', eb.fn.sum('runs').as('runs'), eb.fn.sum('failures').as('f'), eb.fn.sum('duration_count').as('dc'), eb.fn.sum('duration_sum').as('ds')])
    .where('workflow_id', 'like', `${prefix}%`).groupBy(['workflow_id', 'node_id', 'bucket_start']).orderBy('workflow_id').orderBy('node_id').orderBy('bucket_start').execute();
  return {
    executions: executions.map((r) => [rename(r.workflow_id), n(r.bucket_start), r.status, n(r.n), n(r.dc), n(r.ds), n(r.dmin), n(r.dmax)]),
    sketches: sketches.map((r) => [rename(r.workflow_id), n(r.bucket_start), n(r.idx), n(r.n)]),
    nodes: nodes.map((r) => [rename(r.workflow_id), r.node_id, n(r.bucket_start), n(r.runs), n(r.f), n(r.dc), n(r.ds)]),
  };
}

async function journalRows(store: Store): Promise<number> {
  const r = await store.db.selectFrom('deferred_effects').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each(DIALECTS)('deferred commit effects on %s', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(dialect);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('adds up, from the commits alone, the same rollups the stored rows give', async () => {
    const rand = prng(1414);
    const cases = Array.from({ length: 120 }, (_, i) => generated(rand, 'sum', i));
    // Born and finished in one transition: summed up in memory at flush time.
    for (let i = 0; i < cases.length; i += 7) {
      const batch = cases.slice(i, i + 7).map(({ x, runs }, k) => (k % 2 === 0
        ? transition(x.id, { insertExecution: x, insertRuns: runs })
        // Runs inserted running and finished by the same transition, as a step's outcome patches them.
        : transition(x.id, {
          insertExecution: x,
          insertRuns: runs.map((r) => ({ ...r, status: 'running' as const, duration_ms: null })),
          updateRuns: runs.map((r) => ({ id: r.id, set: { status: r.status, duration_ms: r.duration_ms } })),
        })));
      expect((await t.store.engine.commit(batch)).rejected.size).toBe(0);
    }
    // The same executions, started in one commit and finished in the next: rolled up from their rows.
    const again = cases.map(({ x, runs }) => ({ x: { ...x, id: x.id.replace('sum', 'sql'), workflow_id: x.workflow_id.replace('sum', 'sql') }, runs: runs.map((r) => ({ ...r, id: r.id.replace('sum', 'sql'), execution_id: r.execution_id.replace('sum', 'sql') })) }));
    await t.store.engine.commit(again.map(({ x, runs }) => transition(x.id, { insertExecution: { ...x, status: 'running', finished_at: null, duration_ms: null }, insertRuns: runs })));
    await t.store.engine.commit(again.map(({ x }) => transition(x.id, { updateExecution: { status: x.status, finished_at: x.finished_at, duration_ms: x.duration_ms } })));

    await t.store.settleEffects();
    const summed = await rollups(t.store, 'sum');
    expect(summed.executions.length).toBeGreaterThan(20);
    expect(summed.nodes.length).toBeGreaterThan(20);
    expect(summed).toEqual(await rollups(t.store, 'sql'));
    expect(await journalRows(t.store)).toBe(0);
  });

  it('applies what a crash left in the journal at the next flush, once, however many processes flush', async () => {
    // Rows as a commit leaves them when the process dies before its flush.
    const xs = Array.from({ length: LEFT }, (_, i) => execution(`ex_left_${i}`, { workflow_id: 'wf_left', status: 'completed', finished_at: 1_700_000_000_000 + i, duration_ms: 5 }));
    for (const x of xs) await t.store.engine.commit([transition(x.id, { insertExecution: { ...x, status: 'running', finished_at: null, duration_ms: null } })]);
    await t.store.settleEffects();
    const auditBefore = await auditCount(t.store, 'ex_left_%');
    const texts = xs.map((x) => {
      const effects = new BatchEffects();
      effects.add(transition(x.id, { updateExecution: { status: 'completed', finished_at: x.finished_at, duration_ms: 5 } }));
      effects.add(transition(`${x.id}_b`, { insertExecution: execution(`${x.id}_b`, { workflow_id: 'wf_left', status: 'completed', finished_at: x.finished_at, duration_ms: 7 }) }));
      return journalText(effects)!;
    });
    await t.store.db.transaction().execute(async (trx) => {
      for (const x of xs) await trx.updateTable('executions').set({ status: 'completed', finished_at: x.finished_at, duration_ms: 5 }).where('id', '=', x.id).execute();
      await trx.insertInto('deferred_effects').values(texts.map((effects) => ({ effects }))).execute();
    });

    // A second process on the same database flushes at the same time as this one.
    const other = await openSecond(dialect, t.store);
    try {
      await Promise.all([t.store.settleEffects(), other.store.settleEffects(), t.store.settleEffects()]);
    } finally {
      await other.close();
    }
    expect(await journalRows(t.store)).toBe(0);
    const r = await t.store.db.selectFrom('execution_rollups').select((eb) => [eb.fn.sum('executions').as('n'), eb.fn.sum('duration_sum').as('ds')])
      .where('workflow_id', '=', 'wf_left').executeTakeFirstOrThrow();
    expect([Number(r.n), Number(r.ds)]).toEqual([2 * LEFT, LEFT * 5 + LEFT * 7]);
    // Each journaled start is audited once.
    expect(await auditCount(t.store, 'ex_left_%') - auditBefore).toBe(LEFT);
  });
});

describe.each(DIALECTS)('unreadable journal rows on %s', (dialect) => {
  it('sets apart rows it cannot read, applies the others, and logs which ones', async () => {
    const log = capturingLogger();
    const t = await openTestStore(dialect, log.logger);
    try {
      const done = (id: string) => execution(id, { workflow_id: 'wf_bad', status: 'completed', finished_at: 1_700_000_000_000, duration_ms: 4 });
      await t.store.engine.commit([transition('ex_good_1', { insertExecution: done('ex_good_1') })]);
      // Not JSON; a tuple one cell short; a count as a string, which SQL would refuse or mis-add.
      const bad = ['{"a": [[1', '{"a": [[1700000000000, "api", "ex_x"]]}', '{"r": {"e": [["wf_bad", 0, "completed", "1", 0, 0, null, null]], "s": [], "n": []}}'];
      await t.store.db.insertInto('deferred_effects').values(bad.map((effects) => ({ effects }))).execute();
      await t.store.engine.commit([transition('ex_good_2', { insertExecution: done('ex_good_2') })]);

      await t.store.settleEffects();
      await t.store.settleEffects();
      expect(await journalRows(t.store)).toBe(0);
      const r = await t.store.db.selectFrom('execution_rollups').select((eb) => eb.fn.sum('executions').as('n')).where('workflow_id', '=', 'wf_bad').executeTakeFirstOrThrow();
      expect(Number(r.n)).toBe(2);
      expect(await auditCount(t.store, 'ex_good_%')).toBe(2);
      const lines = log.lines.filter((l) => l.level === 'error');
      expect(lines).toHaveLength(1);
      const rows = (lines[0]!.obj as { rows: Array<{ id: string; reason: string }> }).rows;
      expect(rows.map((x) => x.reason)).toEqual([expect.stringMatching(/JSON/), 'a[0] is not a tuple of 4', 'r.e[0][3] is not a number']);
    } finally {
      await t.dispose();
    }
  });
});

describe('EffectsFlusher', () => {
  it('logs the first failed flush, not every retry, and says when flushes work again', async () => {
    const log = capturingLogger();
    let down = true;
    let calls = 0;
    const store: DeferredEffectsStore = {
      applyDeferredEffects: () => {
        calls++;
        return down ? Promise.reject(new Error('database unavailable')) : Promise.resolve({ more: false, unreadable: [] });
      },
    };
    const flusher = new EffectsFlusher(store, 3_600_000, log.logger);
    for (let i = 0; i < 3; i++) await expect(flusher.settle()).rejects.toThrow('database unavailable');
    expect(calls).toBe(4); // the flush at start, then each settle
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([['warn', expect.stringContaining('could not apply it')]]);
    down = false;
    await flusher.settle();
    await flusher.settle();
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(log.lines[1]!.msg).toContain('applied again');
    await flusher.stop();
  });
});

function capturingLogger(): { logger: Logger; lines: Array<{ level: string; obj: unknown; msg: string | undefined }> } {
  const lines: Array<{ level: string; obj: unknown; msg: string | undefined }> = [];
  const at = (level: string) => (obj: unknown, msg?: string) => void lines.push(typeof obj === 'string' ? { level, obj: {}, msg: obj } : { level, obj, msg });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines };
}

async function auditCount(store: Store, like: string): Promise<number> {
  const r = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('action', '=', 'execution.started').where('resource_id', 'like', like).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Another store on the same database, as a second process (or a CLI command) would open it. */
async function openSecond(dialect: string, store: Store): Promise<{ store: Store; close(): Promise<void> }> {
  if (dialect === 'postgres') {
    const p = store.postgres!;
    const second = await openStore({ databaseUrl: p.connectionString, dataDir: tmpdir(), schema: p.schema });
    return { store: second, close: () => second.close() };
  }
  const file = (await store.db.selectFrom('pragma_database_list' as never).select('file' as never).executeTakeFirstOrThrow()) as { file: string };
  const dir = mkdtempSync(join(tmpdir(), 'itw-second-'));
  const second = await openStore({ databaseUrl: `sqlite:${file.file}`, dataDir: dir });
  return { store: second, close: async () => { await second.close(); rmSync(dir, { recursive: true, force: true }); } };
}
