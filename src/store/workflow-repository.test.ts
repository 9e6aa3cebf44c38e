import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestStore } from '../../test/store/fixtures.js';
import type { TestStore } from '../../test/store/fixtures.js';
import { ConflictError, NotFoundError } from '../model/errors.js';
import type { WorkflowDefinition } from '../model/types.js';
import type { WorkflowRepository } from './workflow-repository.js';

/**
 *   start ──► check ──(out)──► ok? ──(true)──► notify
 *                                 └──(false)─► page
 * Nodes listed out of id order on purpose: the round trip must keep the author's order.
 */
const incident: WorkflowDefinition = {
  name: 'Incident Response',
  description: 'Checks a service and pages when it is down',
  category: 'Incident Management',
  tags: ['ops', 'p1'],
  settings: { timeout_seconds: 600, error_strategy: 'continue', retry_on_failure: true },
  variables: [
    { name: 'team', type: 'string', default: 'sre', secret: false, description: 'who gets paged' },
    { name: 'token', type: 'string', secret: true, required: true },
    { name: 'limits', type: 'object', default: { cpu: 0.9, tags: ['a'] } },
    { name: 'nothing', type: 'object', default: null },
  ],
  nodes: [
    { id: 'start', node_type: 'trigger', label: 'Alert', position_x: 0, position_y: 0, config: { trigger_type: 'alert' } },
    {
      id: 'check',
      node_type: 'api_call',
      label: 'Check health',
      position_x: 100.5,
      position_y: 200,
      config: { method: 'GET', url: 'https://svc/health', headers: { accept: 'application/json' } },
      retry: { max_attempts: 3, backoff: 'exponential', initial_seconds: 1 },
      timeout_seconds: 30,
    },
    { id: 'ok?', node_type: 'condition', config: { expression: '$input.status = 200' } },
    { id: 'page', node_type: 'notification', config: { channel: 'sms', message: 'down: {{ $vars.team }}' }, disabled: true },
    { id: 'notify', node_type: 'notification', config: { channel: 'slack', message: 'all good' }, disabled: false },
  ],
  edges: [
    { id: 'e1', source_node_id: 'start', target_node_id: 'check' },
    { id: 'e2', source_node_id: 'check', target_node_id: 'ok?', source_handle: 'out' },
    { id: 'e3', source_node_id: 'ok?', target_node_id: 'notify', source_handle: 'true' },
    { id: 'e4', source_node_id: 'ok?', target_node_id: 'page', source_handle: 'false', condition: '$input.severity = "high"' },
  ],
  viewport: { x: -10, y: 20.5, zoom: 1.25 },
};

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}

const minimal: WorkflowDefinition = { name: 'Bare', nodes: [{ id: 'a', node_type: 'transform', config: {} }], edges: [] };

describe.each(DIALECTS)('WorkflowRepository on %s', (dialect) => {
  let t: TestStore;
  let repo: WorkflowRepository;
  beforeAll(async () => {
    t = await openTestStore(dialect);
    repo = t.store.workflows;
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('rebuilds the definition it was given from the normalized tables', async () => {
    const { id } = await repo.createWorkflow(incident);
    expect(id).toMatch(/^wf_[0-9a-hjkmnp-tv-z]{16}$/);
    expect(await repo.getDefinition(id)).toEqual(incident);
    expect((await repo.getDefinition(id))?.nodes.map((n) => n.id)).toEqual(['start', 'check', 'ok?', 'page', 'notify']);

    const bare = await repo.createWorkflow(minimal, { id: 'wf_bare' });
    expect(bare.id).toBe('wf_bare');
    expect(await repo.getDefinition('wf_bare')).toStrictEqual(minimal);
    expect(await repo.getDefinition('wf_nope')).toBeUndefined();
    expect(await repo.getWorkflow('wf_bare')).toMatchObject({ name: 'Bare', status: 'draft', draft_revision: 1, active_version_id: null });
  });

  it('replaces the draft, bumping its revision, and refuses a stale revision', async () => {
    const { id } = await repo.createWorkflow(minimal);
    const edited: WorkflowDefinition = { ...incident, name: 'Edited' };
    expect(await repo.replaceDefinition(id, edited, { expectRevision: 1 })).toEqual({ draft_revision: 2 });
    expect(await repo.getDefinition(id)).toEqual(edited);

    await expect(repo.replaceDefinition(id, minimal, { expectRevision: 1 })).rejects.toBeInstanceOf(ConflictError);
    expect(await repo.getDefinition(id)).toEqual(edited);
    await expect(repo.replaceDefinition('wf_nope', minimal)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('snapshots immutable, numbered versions, reusing the latest when the definition is unchanged', async () => {
    const { id } = await repo.createWorkflow(incident);
    const v1 = await repo.snapshotVersion(id, incident);
    expect(v1).toMatchObject({ workflow_id: id, version: 1, definition: incident });

    // Same content, different key order: same canonical hash, same version.
    const again = await repo.snapshotVersion(id, reverseKeys(incident) as WorkflowDefinition);
    expect(again.id).toBe(v1.id);

    const v2 = await repo.snapshotVersion(id, { ...incident, name: 'v2' });
    expect(v2.version).toBe(2);
    // A definition equal to an older version but not the latest is a new version.
    const v3 = await repo.snapshotVersion(id, incident);
    expect(v3.version).toBe(3);

    expect((await repo.listVersions(id)).map((v) => [v.id, v.version])).toEqual([
      [v1.id, 1],
      [v2.id, 2],
      [v3.id, 3],
    ]);
    expect(await repo.getVersion(v2.id)).toEqual(v2);
    expect(await t.store.engine.getVersion(v1.id)).toEqual(v1);
    expect(await repo.getVersion('ver_nope')).toBeUndefined();
    await expect(repo.snapshotVersion('wf_nope', incident)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('activates only a version of the same workflow', async () => {
    const a = await repo.createWorkflow(minimal);
    const b = await repo.createWorkflow(minimal);
    const va = await repo.snapshotVersion(a.id, minimal);
    const vb = await repo.snapshotVersion(b.id, minimal);

    await repo.setActiveVersion(a.id, va.id);
    expect((await repo.getWorkflow(a.id))?.active_version_id).toBe(va.id);
    await expect(repo.setActiveVersion(a.id, vb.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await repo.getWorkflow(a.id))?.active_version_id).toBe(va.id);
  });
});
