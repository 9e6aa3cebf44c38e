import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MetricsQueries } from '../../src/store/metrics-queries.js';
import { DIALECTS, execution, run } from './fixtures.js';
import { previousVersionStore } from './previous-version-store.js';

const HOUR = 1_699_999_200_000; // 1_700_000_000_000 rounded down to its hour
const DAY = 1_699_920_000_000;

type Rows = Kysely<Record<string, Record<string, unknown>>>;

/** Rollups as version 017 kept them (no shard column): 5 executions and their node runs of `wf_test`. */
async function fillOld(db: Kysely<never>): Promise<void> {
  const d = db as unknown as Rows;
  await d.insertInto('execution_rollups').values({ workflow_id: 'wf_test', bucket_start: HOUR, status: 'completed', executions: 5, duration_count: 5, duration_sum: 500, duration_min: 50, duration_max: 150 }).execute();
  await d.insertInto('duration_sketches').values({ workflow_id: 'wf_test', bucket_start: DAY, idx: 100, n: 5 }).execute();
  await d.insertInto('node_rollups').values({ workflow_id: 'wf_test', node_id: 'n1', bucket_start: HOUR, runs: 5, failures: 1, duration_count: 5, duration_sum: 250 }).execute();
}

describe.each(DIALECTS)('migration 018 (rollup shards) on a database of the previous version (%s)', (dialect) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => { for (const d of disposers) await d(); });

  it('keeps the metrics the old rollups held, and adds what finishes afterwards', async () => {
    const { store, dispose } = await previousVersionStore(dialect, '017_lean_indexes', fillOld);
    disposers.push(dispose);
    const metrics = new MetricsQueries(store.db, () => store.settleEffects());
    const before = await metrics.workflow('wf_test');
    expect(before).toMatchObject({ total_executions: 5, completed: 5, nodes: [{ node_id: 'n1', executions: 5, failures: 1, avg_duration_ms: 50 }] });
    expect(before.duration_ms).toMatchObject({ avg: 100, min: 50, max: 150 });

    const x = execution('ex_new', { status: 'completed', finished_at: 1_700_000_000_300, duration_ms: 300 });
    const r = run('run_new', x.id, { status: 'completed', finished_at: 1_700_000_000_300, duration_ms: 300, lease_owner: null, lease_expires_at: null });
    await store.engine.commit([{ executionId: x.id, insertExecution: x, insertRuns: [r], updateRuns: [], logs: [] }]);

    const after = await metrics.workflow('wf_test');
    expect(after).toMatchObject({ total_executions: 6, completed: 6, nodes: [{ node_id: 'n1', executions: 6, failures: 1, avg_duration_ms: 550 / 6 }] });
    expect(after.duration_ms).toMatchObject({ avg: 800 / 6, min: 50, max: 300 });
  });
});
