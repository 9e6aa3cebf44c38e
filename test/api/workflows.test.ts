import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer } from './api-server.js';

describe.each(DIALECTS)('workflow API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect);
  });
  afterAll(async () => s.close());

  const create = async (body: object) => {
    const r = await s.call('POST', '/automation/workflows', { body });
    expect(r.status).toBe(201);
    return r.body;
  };

  it('creates a workflow with generated node and edge ids, and reads it back with its revision as ETag', async () => {
    const wf = await create({ name: 'Gen', nodes: [{ node_type: 'trigger', config: {} }, { id: 'b', node_type: 'transform', config: { expression: '1' } }], edges: [] });
    expect(wf.nodes[0].id).toMatch(/^node_/);
    expect(wf.nodes[1]).toMatchObject({ id: 'b', node_type: 'transform', label: 'b' });
    const first = wf.nodes[0].id as string;
    const edged = await s.call('POST', `/automation/workflows/${wf.id}/edges`, { body: { source_node_id: first, target_node_id: 'b' } });
    expect(edged.status).toBe(201);
    expect(edged.body.edges[0]).toMatchObject({ source_node_id: first, target_node_id: 'b', source_handle: null, condition: null });
    expect(edged.body.edges[0].id).toMatch(/^edge_/);
    const got = await s.call('GET', `/automation/workflows/${wf.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe(`"${got.body.draft_revision}"`);
    expect(got.body).toMatchObject({ id: wf.id, name: 'Gen', status: 'draft', active_version: null, nodes: wf.nodes, edges: edged.body.edges });
    expect(Date.parse(String(got.body.created_at))).not.toBeNaN();
  });

  it('lists workflows filtered by status, category, tag and name, with pagination', async () => {
    const tag = `t${Date.now()}`;
    const a = await create({ name: 'Alpha list', category: 'Ops', tags: [tag, 'x'] });
    const b = await create({ name: 'Beta list', category: 'Ops', tags: [tag] });
    await create({ name: 'Gamma list', category: 'Dev', tags: ['x'] });
    const byTag = await s.call('GET', `/automation/workflows?tag=${tag}`);
    expect(byTag.body.items.map((w: { id: string }) => w.id).sort()).toEqual([a.id, b.id].sort());
    expect(byTag.body.total).toBe(2);
    const page = await s.call('GET', `/automation/workflows?tag=${tag}&limit=1&offset=1`);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.items).toHaveLength(1);
    const ops = await s.call('GET', `/automation/workflows?category=Ops&tag=${tag}&q=ALPHA`);
    expect(ops.body.items.map((w: { id: string }) => w.id)).toEqual([a.id]);
    const drafts = await s.call('GET', '/automation/workflows?status=draft&limit=500');
    expect(drafts.body.items.every((w: { status: string }) => w.status === 'draft')).toBe(true);
    const bad = await s.call('GET', '/automation/workflows?status=sleeping&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/limit', '/status']);
  });

  it('updates the draft, and refuses a stale revision with 409 (If-Match or expected_revision)', async () => {
    const wf = await create(LINEAR);
    const rev = wf.draft_revision as number;
    const put = await s.call('PUT', `/automation/workflows/${wf.id}`, { body: { description: 'now described', tags: ['a'] }, headers: { 'if-match': `"${rev}"` } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Linear', description: 'now described', tags: ['a'], draft_revision: rev + 1 });
    expect(put.body.nodes).toHaveLength(3);
    const stale = await s.call('PUT', `/automation/workflows/${wf.id}`, { body: { name: 'lost update' }, headers: { 'if-match': `"${rev}"` } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 409, code: 'conflict', title: 'Conflict' });
    const staleNode = await s.call('POST', `/automation/workflows/${wf.id}/nodes`, { body: { node_type: 'delay', expected_revision: rev } });
    expect(staleNode.status).toBe(409);
    expect((await s.call('GET', `/automation/workflows/${wf.id}`)).body.name).toBe('Linear');
  });

  it('adds, updates and removes nodes; removing a node removes its edges', async () => {
    const wf = await create(LINEAR);
    const dup = await s.call('POST', `/automation/workflows/${wf.id}/nodes`, { body: { id: 'sum', node_type: 'transform' } });
    expect(dup.status).toBe(400);
    expect(dup.body.errors).toEqual([expect.objectContaining({ path: '/id' })]);
    const moved = await s.call('PATCH', `/automation/workflows/${wf.id}/nodes/double`, { body: { position_x: 10, position_y: 20, config: { expression: '$input.items' } } });
    expect(moved.status).toBe(200);
    expect(moved.body.nodes.find((n: { id: string }) => n.id === 'double')).toMatchObject({ position_x: 10, position_y: 20, config: { expression: '$input.items' } });
    const removed = await s.call('DELETE', `/automation/workflows/${wf.id}/nodes/double`);
    expect(removed.status).toBe(200);
    expect(removed.body.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'sum']);
    expect(removed.body.edges).toEqual([]);
    expect((await s.call('DELETE', `/automation/workflows/${wf.id}/nodes/double`)).status).toBe(404);
    expect((await s.call('PATCH', `/automation/workflows/${wf.id}/nodes/nope`, { body: { label: 'x' } })).status).toBe(404);
  });

  it('connects nodes with a handle and a condition, checks endpoints and handles, removes edges', async () => {
    const wf = await create({ name: 'Branch', nodes: [{ id: 'c', node_type: 'condition', config: { expression: 'true' } }, { id: 'y', node_type: 'transform', config: { expression: '1' } }] });
    const ok = await s.call('POST', `/automation/workflows/${wf.id}/edges`, { body: { id: 'e1', source_node_id: 'c', target_node_id: 'y', source_handle: 'true', condition: '$input = true' } });
    expect(ok.status).toBe(201);
    expect(ok.body.edges).toEqual([{ id: 'e1', source_node_id: 'c', target_node_id: 'y', source_handle: 'true', condition: '$input = true' }]);
    const bad = await s.call('POST', `/automation/workflows/${wf.id}/edges`, { body: { source_node_id: 'ghost', target_node_id: 'y' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['/source_node_id']);
    const handle = await s.call('POST', `/automation/workflows/${wf.id}/edges`, { body: { source_node_id: 'c', target_node_id: 'y', source_handle: 'maybe' } });
    expect(handle.status).toBe(400);
    expect(handle.body.errors[0]).toMatchObject({ path: '/source_handle' });
    expect((await s.call('DELETE', `/automation/workflows/${wf.id}/edges/e1`)).body.edges).toEqual([]);
    expect((await s.call('DELETE', `/automation/workflows/${wf.id}/edges/e1`)).status).toBe(404);
  });

  it('refuses to activate an invalid graph with 422 listing every problem, then activates a valid one', async () => {
    const wf = await create({
      name: 'Broken',
      nodes: [
        { id: 'a', node_type: 'transform', config: { expression: '1' } },
        { id: 'b', node_type: 'transform', config: { expression: '(((' } },
        { id: 'c', node_type: 'action', config: { action_type: 'no_such_action' } },
      ],
      edges: [{ source_node_id: 'a', target_node_id: 'b' }, { source_node_id: 'b', target_node_id: 'a' }],
    });
    const r = await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 422, code: 'definition_invalid' });
    const codes = r.body.errors.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['cycle', 'expression_syntax', 'unknown_action']));
    expect(r.body.errors).toContainEqual(expect.objectContaining({ path: '/nodes/2/config/action_type', code: 'unknown_action' }));
    expect((await s.call('GET', `/automation/workflows/${wf.id}`)).body).toMatchObject({ status: 'draft', active_version: null });

    const good = await create(LINEAR);
    const act = await s.call('POST', `/automation/workflows/${good.id}/activate`);
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ status: 'active', active_version: 1 });
    expect(act.body.active_version_id).toMatch(/^ver_/);
    const off = await s.call('POST', `/automation/workflows/${good.id}/deactivate`);
    expect(off.body).toMatchObject({ status: 'inactive', active_version: 1 });
    expect((await s.call('POST', `/automation/workflows/${good.id}/deactivate`)).status).toBe(409);
  });

  it('lists, reads and restores versions', async () => {
    const wf = await create(LINEAR);
    await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    await s.call('PUT', `/automation/workflows/${wf.id}`, { body: { name: 'Linear v2' } });
    await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    const list = await s.call('GET', `/automation/workflows/${wf.id}/versions`);
    expect(list.body.items.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([[2, true], [1, false]]);
    const v1 = await s.call('GET', `/automation/workflows/${wf.id}/versions/1`);
    expect(v1.body.definition.name).toBe('Linear');
    expect((await s.call('GET', `/automation/workflows/${wf.id}/versions/9`)).status).toBe(404);
    const restored = await s.call('POST', `/automation/workflows/${wf.id}/versions/1/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ name: 'Linear', active_version: 2 });
  });

  it('exports as JSON and YAML, imports both, clones', async () => {
    const wf = await create({ ...LINEAR, name: 'Round Trip', tags: ['rt'] });
    const json = await s.call('GET', `/automation/workflows/${wf.id}/export?format=json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain('round-trip.json');
    expect(json.body).toMatchObject({ name: 'Round Trip', tags: ['rt'], nodes: expect.any(Array), edges: expect.any(Array) });
    const yaml = await s.call('GET', `/automation/workflows/${wf.id}/export?format=yaml`);
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(parse(yaml.text)).toEqual(json.body);

    const fromJson = await s.call('POST', '/automation/workflows/import', { body: json.body });
    expect(fromJson.status).toBe(201);
    expect(fromJson.body).toMatchObject({ name: 'Round Trip', status: 'draft' });
    expect(fromJson.body.id).not.toBe(wf.id);
    const fromYaml = await s.call('POST', '/automation/workflows/import', { raw: yaml.text, headers: { 'content-type': 'application/yaml' } });
    expect(fromYaml.status).toBe(201);
    expect(fromYaml.body.nodes).toEqual(fromJson.body.nodes);
    const broken = await s.call('POST', '/automation/workflows/import', { raw: 'name: [unclosed', headers: { 'content-type': 'application/yaml' } });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0]).toMatchObject({ code: 'parse_error' });
    const dupIds = await s.call('POST', '/automation/workflows/import', { body: { name: 'dup', nodes: [{ id: 'x', node_type: 'trigger' }, { id: 'x', node_type: 'trigger' }] } });
    expect(dupIds.status).toBe(422);
    expect(dupIds.body.errors).toEqual([expect.objectContaining({ path: '/nodes/1/id', code: 'duplicate_id' })]);

    const clone = await s.call('POST', `/automation/workflows/${wf.id}/clone`, { body: {} });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ name: 'Copy of Round Trip', status: 'draft', nodes: json.body.nodes });
  });

  it('deletes a workflow: 204, then 404 everywhere', async () => {
    const wf = await create(LINEAR);
    expect((await s.call('DELETE', `/automation/workflows/${wf.id}`)).status).toBe(204);
    for (const [method, path] of [['GET', ''], ['DELETE', ''], ['POST', '/activate'], ['GET', '/versions'], ['POST', '/nodes']] as const) {
      const r = await s.call(method, `/automation/workflows/${wf.id}${path}`, method === 'POST' && path === '/nodes' ? { body: { node_type: 'delay' } } : {});
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body).toMatchObject({ code: 'not_found', status: 404 });
    }
  });
});
