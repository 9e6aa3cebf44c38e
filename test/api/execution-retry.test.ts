import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';

/** start → stamp (its output differs on every run) → risky (fails while `limit` is too low) → done. */
function flaky(limit: number) {
  return {
    name: `Flaky ${limit}`,
    nodes: [
      { id: 'start', node_type: 'trigger', config: {} },
      { id: 'stamp', node_type: 'transform', config: { expression: '{ "n": $input.n, "nonce": $random() }' } },
      { id: 'risky', node_type: 'transform', config: { expression: `$input.n > ${limit} ? $assert(false, "n is over the limit") : $input.n` } },
      { id: 'done', node_type: 'transform', config: { expression: '"ok " & $string($input)' } },
    ],
    edges: [
      { source_node_id: 'start', target_node_id: 'stamp' }, { source_node_id: 'stamp', target_node_id: 'risky' }, { source_node_id: 'risky', target_node_id: 'done' },
    ],
  };
}

interface NodeRow { node_id: string; status: string; output: unknown; reused_from: { execution_id: string; run_id: string } | null; id: string }

describe.each(DIALECTS)('retry API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(dialect); });
  afterAll(async () => s.close());

  /** A workflow whose first run fails at `risky`: its id and the failed execution's detail. */
  async function failedRun(): Promise<{ wf: string; failed: { id: string; nodes: NodeRow[] } }> {
    const wf = await s.call('POST', '/automation/workflows', { body: flaky(1) });
    expect((await s.call('POST', `/automation/workflows/${wf.body.id}/activate`)).status).toBe(200);
    const ex = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: { n: 5 } } });
    const failed = await untilStatus(s, String(ex.body.id));
    expect(failed.body.status).toBe('failed');
    return { wf: String(wf.body.id), failed: failed.body };
  }

  it('retries from the failed step on the active version: earlier steps are reused as recorded, the rest run', async () => {
    const { wf, failed } = await failedRun();
    await s.call('PUT', `/automation/workflows/${wf}`, { body: { nodes: flaky(100).nodes } });
    expect((await s.call('POST', `/automation/workflows/${wf}/activate`)).status).toBe(200);

    const r = await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: { from: 'failed', version: 'active' }, as: 'operator' });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/automation/executions/${r.body.id}`);
    expect(r.body).toMatchObject({ retry_of: failed.id, version: 2, input_data: { n: 5 } });
    const done = (await untilStatus(s, String(r.body.id))).body;
    expect(done).toMatchObject({ status: 'completed', output: { done: 'ok 5' } });
    const by = (rows: NodeRow[], id: string) => rows.find((n) => n.node_id === id)!;
    const oldStamp = by(failed.nodes, 'stamp');
    expect(by(done.nodes, 'stamp')).toMatchObject({ status: 'completed', output: oldStamp.output, reused_from: { execution_id: failed.id, run_id: oldStamp.id } });
    expect(by(done.nodes, 'start').reused_from).toMatchObject({ execution_id: failed.id });
    expect(by(done.nodes, 'risky')).toMatchObject({ status: 'completed', output: 5, reused_from: null });
    // The retried execution links to its retries.
    const original = await s.call('GET', `/automation/executions/${failed.id}`, { as: 'viewer' });
    expect(original.body.retries).toEqual([expect.objectContaining({ id: r.body.id, status: 'completed' })]);
    // Kept steps ran once: the metrics count them once.
    const metrics = await s.call('GET', `/automation/workflows/${wf}/metrics`);
    const runsOf = (id: string) => metrics.body.nodes.find((x: { node_id: string }) => x.node_id === id)?.executions;
    expect([runsOf('stamp'), runsOf('risky'), runsOf('done')]).toEqual([1, 2, 1]);
  });

  it('retries from a chosen node on the same version: that node and what follows run again', async () => {
    const { failed } = await failedRun();
    const r = await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: { from: 'stamp' } });
    expect(r.status).toBe(202);
    const done = (await untilStatus(s, String(r.body.id))).body;
    expect(done).toMatchObject({ status: 'failed', version: 1, retry_of: failed.id });
    const stamp = done.nodes.find((n: NodeRow) => n.node_id === 'stamp');
    expect(stamp.reused_from).toBeNull();
    expect(stamp.output).not.toEqual(failed.nodes.find((n) => n.node_id === 'stamp')!.output);
    // A body-less POST means "from the failed step".
    const again = await s.call('POST', `/automation/executions/${failed.id}/retry`);
    expect(again.status).toBe(202);
  });

  it('refuses an execution that is not finished (409), an unknown id (404), a viewer (403) and anonymous callers (401)', async () => {
    const wf = await s.call('POST', '/automation/workflows', {
      body: { name: 'Waits', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'wait', node_type: 'delay', config: { seconds: 3600 } }], edges: [{ source_node_id: 'start', target_node_id: 'wait' }] },
    });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const ex = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: {} });
    await untilStatus(s, String(ex.body.id), (st) => st === 'waiting');
    const busy = await s.call('POST', `/automation/executions/${ex.body.id}/retry`, { body: {} });
    expect(busy.status).toBe(409);
    expect(busy.headers.get('content-type')).toContain('application/problem+json');
    expect(busy.body.detail).toContain('only a finished execution can be retried');
    await s.call('POST', `/automation/executions/${ex.body.id}/cancel`);

    const { wf: flakyWf, failed } = await failedRun();
    expect((await s.call('POST', '/automation/executions/exec_unknown/retry', { body: {} })).status).toBe(404);
    expect((await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: {}, as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: {}, as: null })).status).toBe(401);
    const list = await s.call('GET', `/automation/workflows/${flakyWf}/executions`);
    expect(list.body.items).toHaveLength(1); // nothing was started by the refused calls
  });

  it('a hostile or unknown node id is a 400 naming `from`, and starts nothing', async () => {
    const { wf, failed } = await failedRun();
    for (const from of ["risky'; DROP TABLE executions; --", '<img src=x onerror=alert(1)>', '__proto__', '../../etc/passwd', 'x'.repeat(201)]) {
      const r = await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: { from } });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([expect.objectContaining({ path: '/from' })]);
    }
    const extra = await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: { from: 'failed', sneaky: true } });
    expect(extra.status).toBe(400);
    const badVersion = await s.call('POST', `/automation/executions/${failed.id}/retry`, { body: { version: 7 } });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.errors).toEqual([expect.objectContaining({ path: '/version' })]);
    const runs = await s.call('GET', `/automation/workflows/${wf}/executions`);
    expect(runs.body.items).toHaveLength(1);
  });

  it('activation reports a workflow that runs itself, by id or by name', async () => {
    const named = await s.call('POST', '/automation/workflows', {
      body: { name: 'Ouroboros', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'again', node_type: 'run_workflow', config: { workflow_id: 'Ouroboros' } }], edges: [{ source_node_id: 'start', target_node_id: 'again' }] },
    });
    const r = await s.call('POST', `/automation/workflows/${named.body.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ code: 'workflow_calls_itself', node_id: 'again', path: '/nodes/1/config/workflow_id' })]);
    await s.call('PUT', `/automation/workflows/${named.body.id}`, { body: { nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'again', node_type: 'run_workflow', config: { workflow_id: named.body.id } }] } });
    expect((await s.call('POST', `/automation/workflows/${named.body.id}/activate`)).body.errors).toEqual([expect.objectContaining({ code: 'workflow_calls_itself' })]);
  });

  it('links a parent and its child both ways', async () => {
    const child = await s.call('POST', '/automation/workflows', { body: { name: 'Child', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'echo', node_type: 'transform', config: { expression: '$input' } }], edges: [{ source_node_id: 'start', target_node_id: 'echo' }] } });
    await s.call('POST', `/automation/workflows/${child.body.id}/activate`);
    const parent = await s.call('POST', '/automation/workflows', {
      body: { name: 'Parent', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'sub', node_type: 'run_workflow', config: { workflow_id: child.body.id, input: { hello: '{{ $input.who }}' } } }], edges: [{ source_node_id: 'start', target_node_id: 'sub' }] },
    });
    expect((await s.call('POST', `/automation/workflows/${parent.body.id}/activate`)).status).toBe(200);
    const ex = await s.call('POST', `/automation/workflows/${parent.body.id}/execute`, { body: { input_data: { who: 'world' } } });
    const done = (await untilStatus(s, String(ex.body.id))).body;
    expect(done.status).toBe('completed');
    const sub = done.nodes.find((n: NodeRow) => n.node_id === 'sub');
    expect(sub.output).toMatchObject({ echo: { hello: 'world' } });
    expect(done.children).toEqual([expect.objectContaining({ id: sub.child_execution_id, workflow_id: child.body.id, parent_node_id: 'sub', status: 'completed' })]);
    const c = await s.call('GET', `/automation/executions/${sub.child_execution_id}`, { as: 'viewer' });
    expect(c.body).toMatchObject({ parent_execution_id: ex.body.id, parent_node_id: 'sub', depth: 1 });
  });

  it('a step waiting for its child cannot be answered through the approvals API', async () => {
    const slow = await s.call('POST', '/automation/workflows', {
      body: { name: 'Slow child', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'wait', node_type: 'delay', config: { seconds: 3600 } }], edges: [{ source_node_id: 'start', target_node_id: 'wait' }] },
    });
    await s.call('POST', `/automation/workflows/${slow.body.id}/activate`);
    const parent = await s.call('POST', '/automation/workflows', {
      body: { name: 'Waiting parent', nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'sub', node_type: 'run_workflow', config: { workflow_id: slow.body.id } }], edges: [{ source_node_id: 'start', target_node_id: 'sub' }] },
    });
    await s.call('POST', `/automation/workflows/${parent.body.id}/activate`);
    const ex = await s.call('POST', `/automation/workflows/${parent.body.id}/execute`, { body: {} });
    const waiting = (await untilStatus(s, String(ex.body.id), (st) => st === 'waiting')).body;
    const run = waiting.nodes.find((n: NodeRow) => n.node_id === 'sub');
    const forged = await s.call('POST', `/automation/approvals/${run.id}/approve`, { body: { comment: 'skip the child' }, as: 'operator' });
    expect(forged.status).toBe(409);
    expect(forged.body.detail).toContain('not waiting for an approval');
    expect((await s.call('GET', `/automation/executions/${ex.body.id}`)).body.status).toBe('waiting');
    expect((await s.call('POST', `/automation/executions/${ex.body.id}/cancel`)).status).toBe(200);
    await untilStatus(s, String(run.child_execution_id), (st) => st === 'cancelled');
  });
});
