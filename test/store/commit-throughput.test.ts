import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transition } from '../../src/engine/store-port.js';
import { DIALECTS, execution, log, openTestStore, run } from './fixtures.js';
import type { TestStore } from './fixtures.js';

/**
 * Group-commit throughput, printed for docs/BENCHMARKS.md; the assertions only check every row landed.
 * Engine-shaped batches: 500 transitions, one per execution, each completing the execution's current
 * run under its fencing token, inserting the next run and writing one log line.
 */
const BATCH = 500;

describe.each(DIALECTS)('commit throughput on %s', (dialect) => {
  const totalRuns = dialect === 'sqlite' ? 100_000 : 20_000;
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(dialect);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it(`persists ${totalRuns} runs in batches of ${BATCH}`, async () => {
    const engine = t.store.engine;
    const execIds = Array.from({ length: BATCH }, (_, i) => `ex_bench_${i}`);
    await engine.commit(execIds.map((id) => ({ executionId: id, insertExecution: execution(id), insertRuns: [], updateRuns: [], logs: [] })));

    // Plain inserts: one new run per transition.
    let started = performance.now();
    for (let b = 0; b < totalRuns / BATCH / 2; b++) {
      const batch: Transition[] = execIds.map((id) => ({
        executionId: id,
        insertRuns: [run(`run_i_${b}_${id}`, id, { node_id: `n${b}`, input: { b, items: [1, 2, 3] } })],
        updateRuns: [],
        logs: [],
      }));
      await engine.commit(batch);
    }
    const insertRate = totalRuns / 2 / ((performance.now() - started) / 1000);

    // Engine steps: complete the previous run (fenced), insert the next one, log.
    started = performance.now();
    for (let b = 0; b < totalRuns / BATCH / 2; b++) {
      const batch: Transition[] = execIds.map((id) => ({
        executionId: id,
        updateRuns: b === 0 ? [] : [{ id: `run_s_${b - 1}_${id}`, expectToken: 1, set: { status: 'completed', output: { ok: true }, finished_at: 1, lease_owner: null } }],
        insertRuns: [run(`run_s_${b}_${id}`, id, { node_id: `s${b}`, input: { b } })],
        logs: [log(id, 'step', { data: { b } })],
      }));
      const { rejected } = await engine.commit(batch);
      expect(rejected.size).toBe(0);
    }
    const stepRate = totalRuns / 2 / ((performance.now() - started) / 1000);

    console.log(`[${dialect}] inserts: ${Math.round(insertRate)} runs/s; fenced steps: ${Math.round(stepRate)} runs/s`);
    const sample = await engine.loadExecution('ex_bench_7');
    expect(sample?.runs).toHaveLength(totalRuns / BATCH);
    expect(sample?.runs.filter((r) => r.status === 'completed')).toHaveLength(totalRuns / BATCH / 2 - 1);
  }, 120_000);
});
