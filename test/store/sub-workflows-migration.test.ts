import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/engine/store-port.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { EXECUTION_COLUMNS, executionValues } from '../../src/store/engine-rows.js';
import { DIALECTS, execution } from './fixtures.js';
import { previousVersionStore as openPreviousVersion, type PreviousVersionStore } from './previous-version-store.js';

// Columns 013 and later migrations add: a version-012 row has none of them.
const SINCE_013 = new Set(['parent_execution_id', 'parent_node_id', 'parent_run_id', 'depth', 'retry_of', 'concurrency_key']);

/** A row as version 012 wrote it: no parent, depth or retry columns. */
function oldRow(x: ExecutionRecord): Record<string, unknown> {
  const values = executionValues(x);
  const pairs: Array<[string, unknown]> = EXECUTION_COLUMNS.map((c, i) => [c, values[i]]);
  return Object.fromEntries(pairs.filter(([c]) => !SINCE_013.has(c)));
}

/** A database migrated to 012 holding an execution, then opened by this version (which runs 013). */
async function previousVersionStore(dialect: StoreDialect, rows: ExecutionRecord[]): Promise<PreviousVersionStore> {
  const fill = async (db: Kysely<never>) => {
    await (db as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto('executions').values(rows.map(oldRow)).execute();
  };
  return openPreviousVersion(dialect, '012_incident_sync', fill);
}

describe.each(DIALECTS)('migration 013 on a database of the previous version (%s)', (dialect) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => { for (const d of disposers) await d(); });

  it('reads old executions as top-level (no parent, depth 0, not a retry) and stores linked children', async () => {
    const old = execution('ex_old', { status: 'completed', finished_at: 1_700_000_000_100, output: { done: true } });
    const { store, dispose } = await previousVersionStore(dialect, [old]);
    disposers.push(dispose);
    expect(await store.engine.getExecution('ex_old')).toEqual(old);
    const child = execution('ex_child', { parent_execution_id: 'ex_old', parent_node_id: 'sub', parent_run_id: 'run_1', depth: 1 });
    const retry = execution('ex_retry', { retry_of: 'ex_old' });
    await store.engine.commit([
      { executionId: child.id, insertExecution: child, insertRuns: [], updateRuns: [], logs: [] },
      { executionId: retry.id, insertExecution: retry, insertRuns: [], updateRuns: [], logs: [] },
    ]);
    expect(await store.engine.getExecution('ex_child')).toEqual(child);
    expect(await store.engine.getExecution('ex_retry')).toEqual(retry);
  });
});
