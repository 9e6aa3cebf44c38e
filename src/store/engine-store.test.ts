import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, execution, log, openTestStore, run } from '../../test/store/fixtures.js';
import type { TestStore } from '../../test/store/fixtures.js';
import type { EngineStore, Transition } from '../engine/store-port.js';
import { ConflictError } from '../model/errors.js';
import { MetricsQueries } from './metrics-queries.js';

function transition(executionId: string, parts: Partial<Transition>): Transition {
  return { executionId, insertRuns: [], updateRuns: [], logs: [], ...parts };
}

describe.each(DIALECTS)('EngineStore on %s', (dialect) => {
  let t: TestStore;
  let engine: EngineStore;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    engine = t.store.engine;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('persists an execution with its runs and logs, round-tripping JSON values', async () => {
    const exec = execution('ex_json', {
      input_data: { alert: { host: 'db-1', tags: ['p1', 'db'], count: 3, ok: true, none: null } },
      variables: { team: 'sre', limits: { cpu: 0.75 } },
      output: ['a', 1, null, { nested: [[]] }],
      error: { message: 'boom', code: 'http_error', retryable: true, details: { status: 503 } },
      idempotency_key: 'key-json',
    });
    const runs = [
      run('run_json_1', 'ex_json', { node_id: 'check', input: 'plain string', output: null, fired_edges: ['e1', 'e2'] }),
      run('run_json_2', 'ex_json', {
        node_id: 'loop',
        scope: 'loop[3]/inner[0]',
        attempt: 2,
        state: { items: [1, 2, 3], concurrency: 2 },
        error: { message: 'x', code: 'timeout' },
        wake_at: 1_700_000_100_000,
      }),
    ];
    const logs = [log('ex_json', 'started', { data: { url: 'https://x', headers: { a: 'b' } } }), log('ex_json', 'no data')];
    const result = await engine.commit([transition('ex_json', { insertExecution: exec, insertRuns: runs, logs })]);

    expect(result.rejected.size).toBe(0);
    const loaded = await engine.loadExecution('ex_json');
    expect(loaded?.execution).toEqual(exec);
    expect(loaded?.runs).toEqual(runs);
    // `undefined` stays undefined (SQL NULL) and JSON null stays null: the engine tells them apart.
    expect(loaded?.runs[0]?.output).toBeNull();
    expect(loaded?.runs[0]?.state).toBeUndefined();
    expect(await engine.listLogs('ex_json')).toEqual(logs);
    expect(await engine.loadExecution('ex_missing')).toBeUndefined();
  });

  it('stores every run of a transition that inserts many, in their order, and a batch of such transitions', async () => {
    // 37 runs, some large: PostgreSQL inserts them with one unnest statement, SQLite row by row (a multi-row INSERT was measured slower).
    const many = (ex: string, n: number) => Array.from({ length: n }, (_, i) => run(`run_${ex}_${String(i).padStart(2, '0')}`, ex, {
      node_id: `n${i}`, output: { i, text: 'x'.repeat(i * 100) }, fired_edges: [`e${i}`],
    }));
    const a = many('ex_many_a', 37);
    const b = many('ex_many_b', 16);
    const result = await engine.commit([
      transition('ex_many_a', { insertExecution: execution('ex_many_a'), insertRuns: a, logs: [log('ex_many_a', 'after the runs')] }),
      transition('ex_many_b', { insertExecution: execution('ex_many_b'), insertRuns: b }),
    ]);
    expect(result.rejected.size).toBe(0);
    expect((await engine.loadExecution('ex_many_a'))?.runs).toEqual(a);
    expect((await engine.loadExecution('ex_many_b'))?.runs).toEqual(b);
    expect(await engine.listLogs('ex_many_a')).toEqual([log('ex_many_a', 'after the runs')]);
  });

  it('writes nothing of a batch whose run insert fails, and the next commit is unaffected', async () => {
    const dup = run('run_dup_1', 'ex_dup');
    await expect(engine.commit([
      transition('ex_dup_ok', { insertExecution: execution('ex_dup_ok'), insertRuns: [run('run_dup_ok', 'ex_dup_ok')] }),
      transition('ex_dup', { insertExecution: execution('ex_dup'), insertRuns: [run('run_dup_0', 'ex_dup', { node_id: 'a' }), dup, { ...dup, id: 'run_dup_2' }] }),
    ])).rejects.toThrow();
    expect(await engine.loadExecution('ex_dup_ok')).toBeUndefined();
    expect(await engine.loadExecution('ex_dup')).toBeUndefined();
    const next = run('run_after_dup', 'ex_after_dup');
    await engine.commit([transition('ex_after_dup', { insertExecution: execution('ex_after_dup'), insertRuns: [next] })]);
    expect((await engine.loadExecution('ex_after_dup'))?.runs).toEqual([next]);
  });

  it('patches only the execution and run columns given', async () => {
    await engine.commit([
      transition('ex_patch', { insertExecution: execution('ex_patch', { variables: { v: 1 } }), insertRuns: [run('run_patch', 'ex_patch')] }),
    ]);
    await engine.commit([
      transition('ex_patch', {
        updateExecution: { status: 'completed', output: { done: true }, finished_at: 1_700_000_009_000, duration_ms: 9000.4 },
        updateRuns: [{ id: 'run_patch', set: { status: 'completed', output: [1, 2], lease_owner: null } }],
      }),
    ]);
    const loaded = await engine.loadExecution('ex_patch');
    expect(loaded?.execution).toEqual(
      execution('ex_patch', { variables: { v: 1 }, status: 'completed', output: { done: true }, finished_at: 1_700_000_009_000, duration_ms: 9000 }),
    );
    expect(loaded?.runs).toEqual([run('run_patch', 'ex_patch', { status: 'completed', output: [1, 2], lease_owner: null })]);
  });

  it('refuses a transition whose fencing token is stale, writing nothing of it, while the rest of the batch lands', async () => {
    await engine.commit([
      transition('ex_stale', { insertExecution: execution('ex_stale'), insertRuns: [run('run_stale', 'ex_stale', { lease_token: 2 })] }),
      transition('ex_fresh', { insertExecution: execution('ex_fresh'), insertRuns: [run('run_fresh', 'ex_fresh', { lease_token: 5 })] }),
    ]);
    const before = await engine.loadExecution('ex_stale');

    const result = await engine.commit([
      transition('ex_stale', {
        updateExecution: { status: 'completed' },
        updateRuns: [{ id: 'run_stale', expectToken: 1, set: { status: 'completed', output: 'late' } }],
        insertRuns: [run('run_stale_next', 'ex_stale', { node_id: 'n2' })],
        logs: [log('ex_stale', 'late completion')],
      }),
      transition('ex_fresh', {
        updateExecution: { status: 'waiting' },
        updateRuns: [{ id: 'run_fresh', expectToken: 5, set: { status: 'completed', lease_token: 6 } }],
        insertRuns: [run('run_fresh_next', 'ex_fresh', { node_id: 'n2' })],
        logs: [log('ex_fresh', 'on time')],
      }),
    ]);

    expect([...result.rejected]).toEqual(['ex_stale']);
    expect(await engine.loadExecution('ex_stale')).toEqual(before);
    expect(await engine.listLogs('ex_stale')).toEqual([]);
    const fresh = await engine.loadExecution('ex_fresh');
    expect(fresh?.execution.status).toBe('waiting');
    expect(fresh?.runs.map((r) => [r.id, r.status, r.lease_token])).toEqual([
      ['run_fresh', 'completed', 6],
      ['run_fresh_next', 'running', 1],
    ]);
    expect((await engine.listLogs('ex_fresh')).map((l) => l.message)).toEqual(['on time']);
  });

  it('undoes the earlier fenced updates and transitions of a refused execution in the same batch', async () => {
    await engine.commit([
      transition('ex_multi', {
        insertExecution: execution('ex_multi'),
        insertRuns: [run('run_m1', 'ex_multi', { lease_token: 3 }), run('run_m2', 'ex_multi', { node_id: 'n2', lease_token: 3 })],
      }),
    ]);
    const before = await engine.loadExecution('ex_multi');

    const result = await engine.commit([
      // Passes its check on its own...
      transition('ex_multi', {
        updateRuns: [{ id: 'run_m1', expectToken: 3, set: { status: 'completed', lease_token: 4 } }],
        logs: [log('ex_multi', 'first')],
      }),
      // ...but this one, later in the batch, carries a stale token for run_m2 after a good one for run_m1.
      transition('ex_multi', {
        updateRuns: [
          { id: 'run_m1', expectToken: 4, set: { output: 'ok' } },
          { id: 'run_m2', expectToken: 2, set: { status: 'completed' } },
        ],
      }),
    ]);

    expect([...result.rejected]).toEqual(['ex_multi']);
    expect(await engine.loadExecution('ex_multi')).toEqual(before);
    expect(await engine.listLogs('ex_multi')).toEqual([]);
  });

  it('applies updates to runs and executions inserted earlier in the same batch', async () => {
    const result = await engine.commit([
      transition('ex_same', { insertExecution: execution('ex_same'), insertRuns: [run('run_same', 'ex_same')] }),
      transition('ex_same', {
        updateExecution: { status: 'completed' },
        updateRuns: [{ id: 'run_same', expectToken: 1, set: { status: 'completed', lease_token: 2 } }],
      }),
    ]);
    expect(result.rejected.size).toBe(0);
    const loaded = await engine.loadExecution('ex_same');
    expect(loaded?.execution.status).toBe('completed');
    expect(loaded?.runs.map((r) => [r.status, r.lease_token])).toEqual([['completed', 2]]);
  });

  it('finds executions by idempotency key and refuses a duplicate key for the same workflow', async () => {
    await engine.commit([
      transition('ex_idem', { insertExecution: execution('ex_idem', { workflow_id: 'wf_idem', idempotency_key: 'evt-42' }) }),
      // Same key on another workflow is fine, and NULL keys never collide.
      transition('ex_idem_other', { insertExecution: execution('ex_idem_other', { workflow_id: 'wf_other', idempotency_key: 'evt-42' }) }),
      transition('ex_nokey_1', { insertExecution: execution('ex_nokey_1', { workflow_id: 'wf_idem' }) }),
      transition('ex_nokey_2', { insertExecution: execution('ex_nokey_2', { workflow_id: 'wf_idem' }) }),
    ]);
    expect((await engine.findExecutionByIdempotencyKey('wf_idem', 'evt-42'))?.id).toBe('ex_idem');
    expect((await engine.findExecutionByIdempotencyKey('wf_other', 'evt-42'))?.id).toBe('ex_idem_other');
    expect(await engine.findExecutionByIdempotencyKey('wf_idem', 'evt-43')).toBeUndefined();

    const duplicate = engine.commit([
      transition('ex_bystander', { insertExecution: execution('ex_bystander') }),
      transition('ex_idem_dup', { insertExecution: execution('ex_idem_dup', { workflow_id: 'wf_idem', idempotency_key: 'evt-42' }) }),
    ]);
    await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
    // The batch is one transaction: the bystander went down with it.
    expect(await engine.loadExecution('ex_bystander')).toBeUndefined();
    expect(await engine.loadExecution('ex_idem_dup')).toBeUndefined();
  });

  it('lists unfinished executions oldest first', async () => {
    const base = 1_800_000_000_000;
    await engine.commit(
      (
        [
          ['ex_u_paused', 'paused', 4],
          ['ex_u_done', 'completed', 0],
          ['ex_u_pending', 'pending', 1],
          ['ex_u_failed', 'failed', 2],
          ['ex_u_waiting', 'waiting', 3],
          ['ex_u_cancelled', 'cancelled', 5],
        ] as const
      ).map(([id, status, i]) => transition(id, { insertExecution: execution(id, { status, created_at: base + i }) })),
    );
    await engine.commit([transition('ex_u_pending', { updateExecution: { status: 'running' } })]);
    const ids = (await engine.listUnfinishedExecutionIds()).filter((id) => id.startsWith('ex_u_'));
    expect(ids).toEqual(['ex_u_pending', 'ex_u_waiting', 'ex_u_paused']);
  });

  it('renews only the leases still held by the given owner', async () => {
    await engine.commit([
      transition('ex_lease', {
        insertExecution: execution('ex_lease'),
        insertRuns: [
          run('run_l_mine', 'ex_lease', { lease_owner: 'w1', lease_expires_at: 100 }),
          run('run_l_theirs', 'ex_lease', { node_id: 'n2', lease_owner: 'w2', lease_expires_at: 100 }),
          run('run_l_free', 'ex_lease', { node_id: 'n3', lease_owner: null, lease_expires_at: null }),
        ],
      }),
    ]);
    await engine.renewLeases('w1', ['run_l_mine', 'run_l_theirs', 'run_l_free'], 5000);
    await engine.renewLeases('w1', [], 9000);
    const runs = (await engine.loadExecution('ex_lease'))?.runs ?? [];
    expect(runs.map((r) => [r.id, r.lease_owner, r.lease_expires_at])).toEqual([
      ['run_l_free', null, null],
      ['run_l_mine', 'w1', 5000],
      ['run_l_theirs', 'w2', 100],
    ]);
  });

  it('checks execution revisions (standing for token checks): a stale one refuses its transition, current ones land and bump, in one batch', async () => {
    await engine.commit([
      transition('ex_rev_a', { insertExecution: execution('ex_rev_a'), insertRuns: [run('run_rev_a', 'ex_rev_a')] }),
      transition('ex_rev_b', { insertExecution: execution('ex_rev_b'), insertRuns: [run('run_rev_b', 'ex_rev_b')] }),
    ]);
    expect((await engine.loadExecution('ex_rev_a'))?.revision).toBe(0);
    const done = (id: string, runId: string, expectRevision: number) =>
      transition(id, { expectRevision, updateRuns: [{ id: runId, expectToken: 0, set: { status: 'completed', output: { by: expectRevision } } }], logs: [log(id, `rev ${expectRevision}`)] });
    const first = await engine.commit([done('ex_rev_a', 'run_rev_a', 0), done('ex_rev_b', 'run_rev_b', 0)]);
    expect([...first.rejected]).toEqual([]);
    // Another process already moved ex_rev_a to revision 1: a writer still at 0 is refused, b at 1 lands.
    const second = await engine.commit([done('ex_rev_a', 'run_rev_a', 0), done('ex_rev_b', 'run_rev_b', 1)]);
    expect([...second.rejected]).toEqual(['ex_rev_a']);
    const a = await engine.loadExecution('ex_rev_a');
    const b = await engine.loadExecution('ex_rev_b');
    expect([a?.revision, b?.revision]).toEqual([1, 2]);
    expect(a?.runs[0]?.output).toEqual({ by: 0 });
    expect(b?.runs[0]?.output).toEqual({ by: 1 });
    expect((await engine.listLogs('ex_rev_a')).map((l) => l.message)).toEqual(['rev 0']);
  });

  it('records, in the commit of a batch, the audit entry of each execution it starts and the metrics of each it finishes, with or without a duration', async () => {
    const metrics = new MetricsQueries(t.store.db, () => t.store.settleEffects());
    const before = await metrics.workflow('wf_test');
    const at = 1_700_000_000_000;
    const done = execution('ex_fx_done', { status: 'completed', started_at: at, finished_at: at + 40, duration_ms: 40 });
    const cancelled = execution('ex_fx_cancelled', { status: 'cancelled', finished_at: at, duration_ms: null });
    const running = execution('ex_fx_running', { status: 'running' });
    const runs = [
      run('run_fx_1', done.id, { node_id: 'fx_a', status: 'completed', finished_at: at + 30, duration_ms: 30, lease_owner: null, lease_expires_at: null }),
      run('run_fx_2', done.id, { node_id: 'fx_b', status: 'failed', finished_at: at + 40, duration_ms: 10, lease_owner: null, lease_expires_at: null }),
    ];
    const result = await engine.commit([
      transition(done.id, { insertExecution: done, insertRuns: runs }),
      transition(cancelled.id, { insertExecution: cancelled }),
      transition(running.id, { insertExecution: running }),
    ]);
    expect(result.rejected.size).toBe(0);

    const after = await metrics.workflow('wf_test');
    expect(after.total_executions - before.total_executions).toBe(3); // the running one counts as open
    expect([after.completed - before.completed, after.cancelled - before.cancelled]).toEqual([1, 1]);
    // Only the execution with a duration is in the duration statistics.
    expect(after.duration_ms.max).toBeGreaterThanOrEqual(40);
    expect(after.nodes.filter((n) => n.node_id.startsWith('fx_'))).toEqual([
      expect.objectContaining({ node_id: 'fx_a', executions: 1, failures: 0, avg_duration_ms: 30 }),
      expect.objectContaining({ node_id: 'fx_b', executions: 1, failures: 1, avg_duration_ms: 10 }),
    ]);
    const audited = await t.store.db.selectFrom('audit_log').select(['resource_id', 'action']).where('resource_id', 'like', 'ex_fx_%').orderBy('id').execute();
    // Batches are applied in execution id order (commit-groups.ts), their audit entries too.
    expect(audited).toEqual([cancelled, done, running].map((x) => ({ resource_id: x.id, action: 'execution.started' })));
  });

  it('stores text holding a lone surrogate as U+FFFD instead of refusing the batch', async () => {
    const exec = execution('ex_surrogate', { input_data: { note: 'ok' } });
    const lines = [log('ex_surrogate', 'half \ud83d of an emoji'), log('ex_surrogate', 'a whole one: \ud83d\ude00')];
    const result = await engine.commit([transition('ex_surrogate', { insertExecution: exec, logs: lines })]);
    expect(result.rejected.size).toBe(0);
    const [half, whole] = (await engine.listLogs('ex_surrogate')).map((l) => l.message);
    // PostgreSQL keeps one U+FFFD; SQLite's UTF-8 holds the surrogate's three bytes, read back as three.
    expect(half).toMatch(/^half \ufffd+ of an emoji$/);
    expect(whole).toBe('a whole one: \ud83d\ude00');
  });

  it('treats an empty batch as a no-op', async () => {
    expect((await engine.commit([])).rejected.size).toBe(0);
  });

  it('keeps a commit made while another transaction of the store is open, when that transaction rolls back', async () => {
    let committed: Promise<unknown> | undefined;
    await expect(t.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('executions').set({ status: 'failed' }).where('id', '=', 'ex_json').execute();
      // SQLite: one handle, so the engine's write must wait for this transaction instead of joining it.
      committed = engine.commit([transition('ex_beside_trx', { insertExecution: execution('ex_beside_trx'), insertRuns: [run('run_beside_trx', 'ex_beside_trx')] })]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await committed).toEqual({ rejected: new Set() });
    const loaded = await engine.loadExecution('ex_beside_trx');
    expect(loaded?.runs.map((r) => r.id)).toEqual(['run_beside_trx']);
    expect((await engine.loadExecution('ex_json'))?.execution.status).not.toBe('failed');
  });
});
