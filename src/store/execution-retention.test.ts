import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { DIALECTS, openHarness, type Harness } from '../../test/support/harness.js';
import { pruneFinishedExecutions } from './execution-retention.js';

describe.each(DIALECTS)('execution retention on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  it('prunes finished executions older than the cut-off with their node runs and logs, and keeps the rest', async () => {
    const def = { name: 'r', nodes: [{ id: 'l', node_type: 'action' as const, config: { action_type: 'log', message: 'hi' } }], edges: [] };
    const old = await h.run(def);
    const waiting = await h.start({ name: 'w', settings: { timeout_seconds: 0 }, nodes: [{ id: 'd', node_type: 'delay' as const, config: { seconds: 1e6 } }], edges: [] });
    h.clock.advance(10 * 86_400_000);
    const recent = await h.run(def);
    // Per-host results of fleet steps go with their execution; a neighbour whose id shares the prefix stays.
    const ledger = h.app.store.db.insertInto('fleet_host_results');
    const row = (step_key: string) => ({ step_key, host_name: 'web-1', status: 'succeeded' as const, result: '{}', finished_at: 0 });
    await ledger.values([row(`${old.execution.id}:fleet::1`), row(`${recent.execution.id}:fleet::1`), row(`${old.execution.id}x:fleet::1`)]).execute();
    const pruned = await pruneFinishedExecutions(h.app.store.db, h.clock.now() - 86_400_000, { batchSize: 1, dialect: h.app.store.dialect });
    expect(pruned).toBe(1);
    expect(await h.app.store.engine.loadExecution(old.execution.id)).toBeUndefined();
    expect(await h.app.store.engine.listLogs(old.execution.id)).toEqual([]);
    const orphanRuns = await h.app.store.db.selectFrom('node_executions').select('id').where('execution_id', '=', old.execution.id).execute();
    expect(orphanRuns).toEqual([]);
    expect((await h.app.store.engine.loadExecution(recent.execution.id))?.execution.status).toBe('completed');
    expect((await h.app.store.engine.loadExecution(waiting.id))?.execution.status).toBe('waiting');
    const fleetRows = await h.app.store.db.selectFrom('fleet_host_results').select('step_key').execute();
    expect(fleetRows.map((r) => r.step_key).sort()).toEqual([`${old.execution.id}x:fleet::1`, `${recent.execution.id}:fleet::1`].sort());
  });
});

describe('execution retention on SQLite gives the disk back', () => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(DIALECTS.find((d) => d.name === 'sqlite')!); });
  afterAll(async () => { await h.close(); });

  it('shrinks the file by the pages the pruned executions held (auto_vacuum = INCREMENTAL)', async () => {
    const def = { name: 'big', nodes: [{ id: 't', node_type: 'transform' as const, config: { expression: '$count($input.rows)' } }], edges: [] };
    // Random text: SQLite stores large payloads deflated, and this must not shrink to nothing.
    const rows = Array.from({ length: 2000 }, (_, i) => ({ i, text: randomBytes(48).toString('base64') }));
    for (let i = 0; i < 20; i++) await h.run(def, { rows });
    const pages = async (): Promise<number> => Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(h.app.store.db)).rows[0]?.page_count);
    const full = await pages();
    h.clock.advance(2 * 86_400_000);
    expect(await pruneFinishedExecutions(h.app.store.db, h.clock.now() - 86_400_000, { batchSize: 3, dialect: 'sqlite' })).toBe(20);
    const after = await pages();
    // 20 inputs of ~140 KB (deflated ~100 KB) each were most of the file.
    expect(after).toBeLessThan(full / 4);
    expect(Number((await sql<{ freelist_count: number }>`PRAGMA freelist_count`.execute(h.app.store.db)).rows[0]?.freelist_count)).toBe(0);
  });
});
