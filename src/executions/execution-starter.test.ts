import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../../test/support/harness.js';
import type { WorkflowDefinition } from '../model/types.js';
import { ExecutionStarter } from './execution-starter.js';

/*  start (manual trigger) ──▶ out (transform: which version ran)  */
const def = (answer: string): WorkflowDefinition => ({
  name: 'starter',
  variables: [{ name: 'team', type: 'string', required: true }],
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'out', node_type: 'transform', config: { expression: `"${answer}"` } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'out' }],
});

describe.each(DIALECTS)('ExecutionStarter on $name', (dialect) => {
  let h: Harness;
  let starter: ExecutionStarter;
  beforeEach(async () => {
    h = await openHarness(dialect);
    const { app, clock } = h;
    starter = new ExecutionStarter({ engine: app.engine, executions: app.store.engine, workflows: app.store.workflows, catalog: app.catalog, now: () => clock.now() });
  });
  afterEach(async () => h.close());

  async function activate(d: WorkflowDefinition, id?: string): Promise<string> {
    const wf = id ?? (await h.app.store.workflows.createWorkflow(d)).id;
    if (id) await h.app.store.workflows.replaceDefinition(id, d);
    const v = await h.app.store.workflows.snapshotVersion(wf, d);
    await h.app.store.workflows.setActiveVersion(wf, v.id);
    return wf;
  }

  it('starts one execution per idempotency key, for concurrent and later callers alike', async () => {
    const wf = await activate(def('v1'));
    const versionId = (await h.app.store.workflows.getWorkflow(wf))!.active_version_id!;
    const fire = () => starter.triggered({ workflowId: wf, versionId, triggerType: 'webhook', entryNodeId: 'start', input: { team: 'x' }, idempotencyKey: 'delivery-1' });
    const burst = await Promise.all([fire(), fire(), fire()]);
    expect(burst.map((s) => s.existing).sort()).toEqual([false, true, true]);
    expect(new Set(burst.map((s) => s.execution.id)).size).toBe(1);
    const later = await fire();
    expect(later).toMatchObject({ existing: true, execution: { id: burst[0].execution.id, mode: 'trigger', trigger_type: 'webhook' } });
    // The key is per workflow and shared by every way in: a manual start with it finds the same execution.
    const manual = await starter.manual({ workflowId: wf, input: {}, variables: { team: 'x' }, test: false, idempotencyKey: 'delivery-1' });
    expect(manual).toMatchObject({ existing: true, execution: { id: burst[0].execution.id } });
    const fresh = await starter.triggered({ workflowId: wf, versionId, triggerType: 'webhook', entryNodeId: 'start', input: {}, idempotencyKey: null });
    expect(fresh.existing).toBe(false);
    expect(fresh.execution.id).not.toBe(burst[0].execution.id);
  });

  it("checks a manual start's variables against the version it runs (400 validation, nothing started)", async () => {
    const wf = await activate(def('v1'));
    await expect(starter.manual({ workflowId: wf, input: {}, test: false })).rejects.toMatchObject({ code: 'validation', details: { errors: [{ path: '/variables/team', message: 'is required' }] } });
    await expect(starter.manual({ workflowId: wf, input: {}, variables: { team: 1 }, test: false })).rejects.toMatchObject({ code: 'validation' });
    expect(await h.app.repos.executions.list({ limit: 10, workflowId: wf })).toMatchObject({ items: [] });
    const ok = await starter.manual({ workflowId: wf, input: {}, variables: { team: 'sre' }, test: false });
    expect(ok.execution).toMatchObject({ mode: 'manual', trigger_type: 'manual', version: 1 });
  });

  it('keeps the active version it read until the workflow is invalidated, then reads the new one', async () => {
    const wf = await activate(def('v1'));
    const first = await starter.manual({ workflowId: wf, input: {}, variables: { team: 'a' }, test: false });
    expect(first.execution.version).toBe(1);
    await activate(def('v2'), wf);
    // The fake clock does not move: without an invalidation the cached row (version 1) is still served.
    expect((await starter.manual({ workflowId: wf, input: {}, variables: { team: 'a' }, test: false })).execution.version).toBe(1);
    starter.invalidate(wf);
    const after = await starter.manual({ workflowId: wf, input: {}, variables: { team: 'a' }, test: false });
    expect(after.execution.version).toBe(2);
    expect((await h.settle(after.execution.id)).execution.output).toEqual({ out: 'v2' });
  });

  it('runs a pinned version (itw run) as a manual run, and the draft as a test run', async () => {
    const { id: wf } = await h.app.store.workflows.createWorkflow(def('draft'));
    const v = await h.app.store.workflows.snapshotVersion(wf, def('pinned'));
    const pinned = await starter.manual({ workflowId: wf, versionId: v.id, input: {}, variables: { team: 'a' }, test: false });
    expect(pinned.execution).toMatchObject({ mode: 'manual', version_id: v.id });
    const test = await starter.manual({ workflowId: wf, input: {}, variables: { team: 'a' }, test: false });
    expect(test.execution.mode).toBe('test');
    expect((await h.settle(test.execution.id)).execution.output).toEqual({ out: 'draft' });
    await expect(starter.manual({ workflowId: 'wf_missing', input: {}, test: false })).rejects.toMatchObject({ code: 'not_found' });
  });
});
