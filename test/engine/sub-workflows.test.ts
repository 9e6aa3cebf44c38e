import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionRecord } from '../../src/engine/store-port.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { ENGINE_MODES, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';

let seq = 0;

/** Stores and activates a workflow under a unique name; returns its active version. */
async function activate(h: Harness, def: WorkflowDefinition): Promise<VersionRecord> {
  const v = await h.deploy({ ...def, name: `${def.name}-${process.pid}-${++seq}` });
  await h.app.store.workflows.setActiveVersion(v.workflow_id, v.id);
  h.app.starter.invalidate(v.workflow_id);
  return v;
}

/** A child that asks for approval before it answers: the test decides when it ends. */
const askingChild = wf(
  [n('t', 'trigger'), n('ask', 'approval', { message: 'go on for {{ $input.host }}?' }), transform('answer', '{ "host": $trigger.host, "ok": true }')],
  [e('t', 'ask'), e('ask', 'answer', 'approved')],
  { name: 'child', settings: { timeout_seconds: 0 } },
);

function parentOf(childRef: string, config: Record<string, unknown> = {}): WorkflowDefinition {
  return wf(
    [n('t', 'trigger'), n('sub', 'run_workflow', { workflow_id: childRef, input: { host: '{{ $input.host }}' }, ...config }),
      transform('after', '"child said " & $string($input.answer.ok) & " for " & $input.answer.host'), transform('caught', '"caught: " & $input.code')],
    [e('t', 'sub'), e('sub', 'after'), e('sub', 'caught', 'error')],
    { name: 'parent', settings: { timeout_seconds: 0 } },
  );
}

async function waitingRun(h: Harness, executionId: string, nodeId: string): Promise<string> {
  for (let i = 0; i < 2000; i++) {
    const r = (await h.result(executionId)).runs.find((x) => x.node_id === nodeId && x.status === 'waiting');
    if (r) return r.id;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`${nodeId} never waited`);
}

async function childOf(h: Harness, parentId: string): Promise<string> {
  for (let i = 0; i < 2000; i++) {
    const row = await h.app.store.db.selectFrom('executions').select('id').where('parent_execution_id', '=', parentId).executeTakeFirst();
    if (row) return row.id;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`no child of ${parentId}`);
}

describe.each(ENGINE_MODES)('run_workflow on $label', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect, { config: { maxWorkflowDepth: 3 } }); });
  afterAll(async () => { await h.close(); });

  it('waits durably for the child (by name, templated input) and continues with its output and id', async () => {
    const child = await activate(h, askingChild);
    const name = (await h.app.store.workflows.getWorkflow(child.workflow_id))!.name;
    const parent = await h.start(parentOf(name), { host: 'web1' });
    const childId = await childOf(h, parent.id);
    await h.until(parent.id, (x) => x.status === 'waiting');
    const linked = (await h.result(childId)).execution;
    expect(linked).toMatchObject({ workflow_id: child.workflow_id, parent_execution_id: parent.id, parent_node_id: 'sub', depth: 1, input_data: { host: 'web1' } });
    expect((await h.result(parent.id)).node('sub').state).toMatchObject({ wait: 'signal', waiting: { kind: 'workflow', child_execution_id: childId } });
    await h.app.engine.signal(childId, await waitingRun(h, childId, 'ask'), 'approved', { decision: 'approved' });
    const done = await h.until(parent.id, (x) => x.status === 'completed' || x.status === 'failed');
    expect(done.status).toBe('completed');
    const r = await h.result(parent.id);
    expect(r.node('sub').output).toMatchObject({ answer: { host: 'web1', ok: true }, child_execution_id: childId });
    expect(r.node('caught').status).toBe('skipped');
    expect(r.node('after').output).toBe('child said true for web1');
  });

  it('a failed child fails the step with its error, and the error path catches it', async () => {
    const failing = await activate(h, wf([n('t', 'trigger'), transform('boom', '$assert(false, "disk full")')], [e('t', 'boom')], { name: 'failing' }));
    const parent = await h.start(parentOf(failing.workflow_id), { host: 'db1' });
    const done = await h.until(parent.id, (x) => x.status === 'completed' || x.status === 'failed');
    const r = await h.result(parent.id);
    expect(done.status).toBe('completed');
    expect(r.node('sub').status).toBe('failed');
    expect(r.node('sub').error).toMatchObject({ code: 'child_workflow_failed', message: expect.stringContaining('disk full') });
    expect(r.node('caught').output).toBe('caught: child_workflow_failed');
  });

  it('without wait, the step outputs the child id at once; a pinned version number runs that version', async () => {
    const child = await activate(h, askingChild);
    const parent = await h.start(parentOf(child.workflow_id, { wait: false, version: 1 }), { host: 'web2' });
    const done = await h.until(parent.id, (x) => x.status !== 'running' && x.status !== 'pending');
    const out = (await h.result(parent.id)).node('sub').output as { child_execution_id: string };
    expect(done.status).toBe('completed'); // while the child still waits for its approval
    expect(out).toEqual({ child_execution_id: expect.any(String), workflow_id: child.workflow_id });
    const c = (await h.result(out.child_execution_id)).execution;
    expect(c).toMatchObject({ parent_execution_id: parent.id, parent_run_id: null, version_id: child.id, status: 'waiting' });
    await h.app.engine.cancel(c.id);
  });

  it('cancelling the parent cancels the child it waits for', async () => {
    const child = await activate(h, askingChild);
    const parent = await h.start(parentOf(child.workflow_id), { host: 'web3' });
    const childId = await childOf(h, parent.id);
    await h.until(parent.id, (x) => x.status === 'waiting');
    await h.app.engine.cancel(parent.id);
    expect((await h.until(childId, (x) => x.status === 'cancelled')).status).toBe('cancelled');
  });

  it('a child that ended while no process could answer (a crash between the commits) is answered at the next start', async () => {
    const child = await activate(h, askingChild);
    const parent = await h.start(parentOf(child.workflow_id), { host: 'web4' });
    const childId = await childOf(h, parent.id);
    await h.until(parent.id, (x) => x.status === 'waiting');
    // As if the child's final commit landed and the process died before the parent heard of it.
    await h.app.store.db.updateTable('executions').set({ status: 'completed', output: JSON.stringify({ answer: { host: 'web4', ok: true } }), finished_at: Date.now() })
      .where('id', '=', childId).execute();
    h = await h.reopen();
    const done = await h.until(parent.id, (x) => x.status === 'completed' || x.status === 'failed');
    expect(done.status).toBe('completed');
    expect((await h.result(parent.id)).node('after').output).toBe('child said true for web4');
  });

  it('a workflow calling itself stops at ITW_MAX_WORKFLOW_DEPTH with a clear error', async () => {
    const name = `recursive-${process.pid}-${++seq}`;
    const v = await h.deploy(wf([n('t', 'trigger'), n('again', 'run_workflow', { workflow_id: name })], [e('t', 'again')], { name }));
    await h.app.store.workflows.setActiveVersion(v.workflow_id, v.id);
    h.app.starter.invalidate(v.workflow_id);
    const top = await h.start(v, {});
    const done = await h.until(top.id, (x) => x.status === 'failed' || x.status === 'completed');
    expect(done.status).toBe('failed');
    const chain = await h.app.store.db.selectFrom('executions').select(['depth']).where('workflow_id', '=', v.workflow_id).execute();
    expect(chain.map((c) => c.depth).sort()).toEqual([0, 1, 2, 3]);
    expect(JSON.stringify((await h.result(top.id)).node('again').error)).toContain('ITW_MAX_WORKFLOW_DEPTH');
  });

  it('a step started again with the same idempotency key (a re-dispatch) finds its child instead of starting a second', async () => {
    const child = await activate(h, askingChild);
    const parent = await h.start(parentOf(child.workflow_id), { host: 'web5' });
    const childId = await childOf(h, parent.id);
    const sub = (await h.result(parent.id)).node('sub');
    const again = await h.app.subWorkflows.start({
      workflow: child.workflow_id, version: 'active', input: { host: 'other' }, wait: true,
      parent: { executionId: parent.id, nodeId: 'sub', runId: sub.id }, idempotencyKey: `${parent.id}:sub::1`,
    });
    expect(again.id).toBe(childId);
    const all = await h.app.store.db.selectFrom('executions').select('id').where('parent_execution_id', '=', parent.id).execute();
    expect(all).toHaveLength(1);
    await h.app.engine.cancel(parent.id);
  });

  it('an unknown workflow fails the step, naming it', async () => {
    const r = await h.start(parentOf('no-such-workflow'), { host: 'x' });
    await h.until(r.id, (x) => x.status === 'completed' || x.status === 'failed');
    expect((await h.result(r.id)).node('sub').error).toMatchObject({ code: 'workflow_not_found', message: expect.stringContaining('no-such-workflow') });
  });
});
