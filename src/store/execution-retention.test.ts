import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const pruned = await pruneFinishedExecutions(h.app.store.db, h.clock.now() - 86_400_000, 1);
    expect(pruned).toBe(1);
    expect(await h.app.store.engine.loadExecution(old.execution.id)).toBeUndefined();
    expect(await h.app.store.engine.listLogs(old.execution.id)).toEqual([]);
    const orphanRuns = await h.app.store.db.selectFrom('node_executions').select('id').where('execution_id', '=', old.execution.id).execute();
    expect(orphanRuns).toEqual([]);
    expect((await h.app.store.engine.loadExecution(recent.execution.id))?.execution.status).toBe('completed');
    expect((await h.app.store.engine.loadExecution(waiting.id))?.execution.status).toBe('waiting');
  });
});
