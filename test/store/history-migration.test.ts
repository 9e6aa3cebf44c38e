import { statSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { presentExecutionDetail } from '../../src/api/present/execution.js';
import type { ExecutionRecord, NodeRunRecord } from '../../src/engine/store-port.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { EXECUTION_COLUMNS, RUN_COLUMNS, executionValues, runValues } from '../../src/store/engine-rows.js';
import { MetricsQueries } from '../../src/store/metrics-queries.js';
import { DIALECTS, execution, run } from './fixtures.js';
import { previousVersionStore as openPreviousVersion, type PreviousVersionStore } from './previous-version-store.js';

const T0 = 1_700_000_000_000;
const PAYLOAD = { items: Array.from({ length: 20 }, (_, i) => ({ n: i, label: `item ${i}` })) };

/** What the previous version wrote: webhook → sum → respond, the payload copied into every node row. */
function oldRows(): { executions: ExecutionRecord[]; runs: NodeRunRecord[] } {
  const done = { status: 'completed' as const, lease_owner: null, lease_expires_at: null };
  const executions = [
    execution('ex_1', { input_data: PAYLOAD, status: 'completed', finished_at: T0 + 12, duration_ms: 12, output: { respond: { total: 190 } } }),
    execution('ex_2', { input_data: { items: [] }, status: 'failed', finished_at: T0 + 30, duration_ms: 30, error: { message: 'boom', code: 'expression_error' } }),
    execution('ex_3', { input_data: PAYLOAD, status: 'running' }),
  ];
  const runs = [
    run('r1a', 'ex_1', { ...done, node_id: 'hook', input: PAYLOAD, output: PAYLOAD, duration_ms: 0, finished_at: T0 }),
    run('r1b', 'ex_1', { ...done, node_id: 'sum', input: PAYLOAD, output: { total: 190 }, duration_ms: 2, finished_at: T0 + 2 }),
    run('r1c', 'ex_1', { ...done, node_id: 'respond', input: { total: 190 }, output: { total: 190 }, duration_ms: 1, finished_at: T0 + 3 }),
    run('r2a', 'ex_2', { ...done, node_id: 'hook', input: { items: [] }, output: { items: [] }, duration_ms: 0 }),
    run('r2b', 'ex_2', { ...done, status: 'failed', node_id: 'sum', input: { items: [] }, output: null, error: { message: 'boom', code: 'expression_error' }, duration_ms: 4 }),
    run('r3a', 'ex_3', { ...done, node_id: 'hook', input: PAYLOAD, output: PAYLOAD }),
    run('r3b', 'ex_3', { node_id: 'sum', status: 'pending', input: PAYLOAD }),
  ];
  return { executions, runs };
}

function row(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c, i) => [c, values[i]]));
}

/** A database migrated to 010 with old-shaped rows, then opened by this version (which runs 011). */
async function previousVersionStore(dialect: StoreDialect): Promise<PreviousVersionStore> {
  const { executions, runs } = oldRows();
  const oldRunColumns = RUN_COLUMNS.filter((c) => c !== 'input_ref' && c !== 'output_ref');
  // concurrency_key came with migration 014; it is the last column, so the values line up without it.
  const fill = async (db: Kysely<never>): Promise<void> => {
    const k = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    // Columns later migrations add (013, 014) are left out: the rows are those version 010 wrote.
    const later = new Set(['parent_execution_id', 'parent_node_id', 'parent_run_id', 'depth', 'retry_of', 'concurrency_key']);
    const oldExecution = (x: ExecutionRecord) => Object.fromEntries(Object.entries(row(EXECUTION_COLUMNS, executionValues(x))).filter(([c]) => !later.has(c)));
    await k.insertInto('executions').values(executions.map(oldExecution)).execute();
    await k.insertInto('node_executions').values(runs.map((r) => row(oldRunColumns, runValues(r)))).execute();
  };
  return openPreviousVersion(dialect, '010_credential_hosts', fill);
}

describe.each(DIALECTS)('migration 011 on a database of the previous version (%s)', (dialect) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  it('reads back the same execution details, with the copies turned into references', async () => {
    const { store, dispose, file } = await previousVersionStore(dialect);
    disposers.push(dispose);
    const { executions, runs } = oldRows();
    for (const x of executions) {
      const loaded = await store.engine.loadExecution(x.id);
      const want = runs.filter((r) => r.execution_id === x.id);
      expect(loaded?.runs).toEqual(want);
      // What the API answers for it (JSONB orders object keys its own way, before and after 011 alike).
      expect(presentExecutionDetail(loaded!.execution, loaded!.runs, [])).toEqual(presentExecutionDetail(x, want, []));
    }
    const stored = await store.db.selectFrom('node_executions').select(['id', 'input', 'output', 'input_ref', 'output_ref']).orderBy('id').execute();
    expect(stored.map((r) => [r.id, r.input_ref, r.output_ref, r.input === null, r.output === null])).toEqual([
      ['r1a', '@input', '@input', true, true],
      ['r1b', '@input', null, true, false],
      ['r1c', 'r1b', 'r1b', true, true],
      ['r2a', '@input', '@input', true, true],
      ['r2b', '@input', null, true, false],
      ['r3a', '@input', '@input', true, true],
      ['r3b', '@input', null, true, true],
    ]);
    if (file !== undefined) {
      const mode = await sql<{ auto_vacuum: number }>`PRAGMA auto_vacuum`.execute(store.db);
      expect(Number(mode.rows[0]?.auto_vacuum)).toBe(2);
      expect(statSync(file).size).toBeGreaterThan(0);
    }
  });

  it('fills the metrics rollups from the executions that finished before', async () => {
    const { store, dispose } = await previousVersionStore(dialect);
    disposers.push(dispose);
    const m = await new MetricsQueries(store.db, () => store.settleEffects()).workflow('wf_test');
    expect(m).toMatchObject({ total_executions: 3, completed: 1, failed: 1, cancelled: 0, success_rate: 0.5 });
    expect(m.duration_ms).toEqual({ avg: 21, min: 12, max: 30, p95: 30, p99: 30 });
    expect(m.nodes).toEqual([
      { node_id: 'hook', executions: 2, failures: 0, avg_duration_ms: 0 },
      { node_id: 'respond', executions: 1, failures: 0, avg_duration_ms: 1 },
      { node_id: 'sum', executions: 2, failures: 1, avg_duration_ms: 3 },
    ]);
  });
});
