import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, untilStatus, type ApiServer } from './api-server.js';

/** trigger → delay (long) → transform: parks in `waiting`, for cancel/pause/resume. */
const WAITS = {
  name: 'Waits',
  nodes: [
    { id: 'start', node_type: 'trigger', config: {} },
    { id: 'wait', node_type: 'delay', config: { seconds: 3600 } },
    { id: 'after', node_type: 'transform', config: { expression: '"done"' } },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'wait' }, { source_node_id: 'wait', target_node_id: 'after' }],
};

describe.each(DIALECTS)('execution API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect);
  });
  afterAll(async () => s.close());

  const deploy = async (def: object, activate = true): Promise<string> => {
    const wf = await s.call('POST', '/automation/workflows', { body: def });
    if (activate) expect((await s.call('POST', `/automation/workflows/${wf.body.id}/activate`)).status).toBe(200);
    return String(wf.body.id);
  };

  it('runs the active version and reports every node attempt', async () => {
    const wf = await deploy(LINEAR);
    const r = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1, 2, 3] } }, as: 'operator' });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/automation/executions/${r.body.id}`);
    expect(r.body).toMatchObject({ workflow_id: wf, mode: 'manual', version: 1, input_data: { items: [1, 2, 3] } });
    const done = await untilStatus(s, String(r.body.id));
    expect(done.body).toMatchObject({ status: 'completed', output: { sum: 12 } });
    expect(done.body.nodes.map((n: { node_id: string; status: string; attempt: number; scope: string }) => [n.node_id, n.status, n.attempt, n.scope])).toEqual([
      ['start', 'completed', 1, ''], ['double', 'completed', 1, ''], ['sum', 'completed', 1, ''],
    ]);
    expect(done.body.nodes[1]).toMatchObject({ input: { items: [1, 2, 3] }, output: [2, 4, 6], error: null, logs: [] });
    expect(typeof done.body.nodes[1].duration_ms).toBe('number');
  });

  it('runs the draft as a test run when there is no active version or mode is test; 422 when the draft is invalid', async () => {
    const wf = await deploy(LINEAR, false);
    const r = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [5] } } });
    expect(r.status).toBe(202);
    expect(r.body.mode).toBe('test');
    expect((await untilStatus(s, String(r.body.id))).body.output).toEqual({ sum: 10 });

    const active = await deploy(LINEAR);
    await s.call('PUT', `/automation/workflows/${active}`, { body: { nodes: [...LINEAR.nodes.slice(0, 2), { id: 'sum', node_type: 'transform', config: { expression: '$count($input)' } }] } });
    const test = await s.call('POST', `/automation/workflows/${active}/execute`, { body: { input_data: { items: [5, 6] }, mode: 'test' } });
    expect(test.body).toMatchObject({ mode: 'test', version: 2 });
    expect((await untilStatus(s, String(test.body.id))).body.output).toEqual({ sum: 2 });
    const manual = await s.call('POST', `/automation/workflows/${active}/execute`, { body: { input_data: { items: [5, 6] } } });
    expect(manual.body).toMatchObject({ mode: 'manual', version: 1 });

    const broken = await deploy({ name: 'Broken', nodes: [{ id: 'x', node_type: 'transform', config: { expression: '(((' } }] }, false);
    const bad = await s.call('POST', `/automation/workflows/${broken}/execute`, { body: {} });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/nodes/0/config/expression', code: 'expression_syntax' })]);
    expect((await s.call('POST', '/automation/workflows/wf_nope/execute', { body: {} })).status).toBe(404);
  });

  it('honours Idempotency-Key: the same key gives the same execution (200)', async () => {
    const wf = await deploy(LINEAR);
    const headers = { 'idempotency-key': 'order-42' };
    const first = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } }, headers });
    const again = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [9] } }, headers });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.idempotency_key).toBe('order-42');
    const other = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } }, headers: { 'idempotency-key': 'order-43' } });
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('gives concurrent starts with one Idempotency-Key one execution: one 202, the others 200', async () => {
    const wf = await deploy(LINEAR);
    const headers = { 'idempotency-key': 'burst-1' };
    const all = await Promise.all([1, 2, 3].map(() => s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } }, headers, as: 'operator' })));
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 202]);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    const history = await s.call('GET', `/automation/workflows/${wf}/executions`);
    expect(history.body.items).toHaveLength(1);
  });

  it('runs the newly activated version at once, and answers 404 at once after a delete (no stale cache)', async () => {
    const wf = await deploy(LINEAR);
    const v1 = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } } });
    expect(v1.body.version).toBe(1);
    await s.call('PUT', `/automation/workflows/${wf}`, { body: { nodes: [...LINEAR.nodes.slice(0, 2), { id: 'sum', node_type: 'transform', config: { expression: '$count($input)' } }] } });
    expect((await s.call('POST', `/automation/workflows/${wf}/activate`)).status).toBe(200);
    const v2 = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1, 2] } } });
    expect(v2.body).toMatchObject({ mode: 'manual', version: 2 });
    expect((await untilStatus(s, String(v2.body.id))).body.output).toEqual({ sum: 2 });
    expect((await s.call('DELETE', `/automation/workflows/${wf}`)).status).toBe(204);
    const gone = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: {} });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('not_found');
  });

  it('pauses, resumes and cancels a waiting execution; 409 on a finished one; 404 on unknown ids', async () => {
    const wf = await deploy(WAITS);
    const started = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: {} });
    const id = String(started.body.id);
    await untilStatus(s, id, (st) => st === 'waiting');
    const paused = await s.call('POST', `/automation/executions/${id}/pause`, { as: 'operator' });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect((await s.call('POST', `/automation/executions/${id}/pause`)).status).toBe(409);
    const resumed = await s.call('POST', `/automation/executions/${id}/resume`);
    expect(resumed.body.status).not.toBe('paused');
    const cancelled = await s.call('POST', `/automation/executions/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await s.call('POST', `/automation/executions/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict', status: 409 });
    const final = await s.call('GET', `/automation/executions/${id}`);
    expect(final.body.nodes.find((n: { node_id: string }) => n.node_id === 'wait').status).toBe('cancelled');
    for (const path of ['/automation/executions/exec_nope', '/automation/executions/exec_nope/events']) {
      expect((await s.call('GET', path)).status).toBe(404);
    }
    for (const action of ['cancel', 'pause', 'resume']) expect((await s.call('POST', `/automation/executions/exec_nope/${action}`)).status).toBe(404);
  });

  it('lists executions per workflow and across workflows, with status/time filters and a cursor', async () => {
    const a = await deploy(LINEAR);
    const b = await deploy(LINEAR);
    const ids: string[] = [];
    for (const wf of [a, a, a, b]) {
      const r = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } } });
      ids.push(String(r.body.id));
      await untilStatus(s, String(r.body.id));
    }
    const history = await s.call('GET', `/automation/workflows/${a}/executions?limit=2`);
    expect(history.body.items.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    expect(history.body.next_cursor).toBe(ids[1]);
    const next = await s.call('GET', `/automation/workflows/${a}/executions?limit=2&cursor=${history.body.next_cursor}`);
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: ids[0], status: 'completed' })], next_cursor: null });
    const across = await s.call('GET', `/automation/executions?status=completed&limit=500&since=${new Date(Date.now() - 60_000).toISOString()}`);
    expect(across.body.items.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(ids));
    const none = await s.call('GET', `/automation/executions?workflow_id=${b}&status=failed&status=cancelled`);
    expect(none.body.items).toEqual([]);
    const future = await s.call('GET', `/automation/executions?workflow_id=${b}&until=2000-01-01T00:00:00Z`);
    expect(future.body.items).toEqual([]);
    const bad = await s.call('GET', '/automation/executions?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/since', in: 'querystring' })]);
    expect((await s.call('GET', '/automation/workflows/wf_nope/executions')).status).toBe(404);
  });

  it('computes workflow metrics and the dashboard from the store', async () => {
    const wf = await deploy({
      name: 'Sometimes fails',
      nodes: [{ id: 'start', node_type: 'trigger', config: {} }, { id: 'check', node_type: 'transform', config: { expression: '$input.ok ? "fine" : $error("boom")' } }],
      edges: [{ source_node_id: 'start', target_node_id: 'check' }],
    });
    for (const ok of [true, true, true, false]) {
      const r = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { ok } } });
      await untilStatus(s, String(r.body.id));
    }
    const m = await s.call('GET', `/automation/workflows/${wf}/metrics`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ workflow_id: wf, total_executions: 4, completed: 3, failed: 1, cancelled: 0, success_rate: 0.75 });
    for (const k of ['avg', 'min', 'max', 'p95', 'p99']) expect(typeof m.body.duration_ms[k]).toBe('number');
    expect(m.body.duration_ms.min).toBeLessThanOrEqual(m.body.duration_ms.p95);
    expect(m.body.nodes).toEqual([
      expect.objectContaining({ node_id: 'check', executions: 4, failures: 1 }),
      expect.objectContaining({ node_id: 'start', executions: 4, failures: 0 }),
    ]);
    const d = await s.call('GET', '/automation/metrics/dashboard', { as: 'viewer' });
    expect(d.body.total_workflows).toBeGreaterThanOrEqual(1);
    expect(d.body.active_workflows).toBeGreaterThanOrEqual(1);
    expect(d.body.total_executions).toBeGreaterThanOrEqual(4);
    expect(d.body).toMatchObject({ integration_actions: s.app.actions.size, templates_available: 0 });
    expect((await s.call('GET', '/automation/workflows/wf_nope/metrics')).status).toBe(404);
  });
});
