import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer, type Reply } from './api-server.js';

function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ type: `urn:itw:problem:${code}`, status, code, title: expect.any(String), detail: expect.any(String) });
}

describe('error answers', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE, { config: { bodyLimitBytes: 64 * 1024 } });
  });
  afterAll(async () => s.close());

  it('names every failing body field with a JSON pointer', async () => {
    const r = await s.call('POST', '/automation/workflows', {
      body: { description: 7, nodes: [{ node_type: 'teleport', position_x: '100' }], extra: true },
    });
    expectProblem(r, 400, 'validation');
    const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/description', '/extra', '/name', '/nodes/0/node_type', '/nodes/0/position_x']);
    expect(r.body.errors.every((e: { in: string; message: string }) => e.in === 'body' && e.message.length > 0)).toBe(true);
  });

  it('validates query strings and path parameters too', async () => {
    expectProblem(await s.call('GET', '/automation/executions?limit=abc&color=red'), 400, 'validation');
    const r = await s.call('GET', '/automation/workflows/wf_x/versions/first');
    expectProblem(r, 400, 'validation');
    expect(r.body.errors).toEqual([expect.objectContaining({ in: 'params', path: '/version' })]);
  });

  it('answers 400 to malformed JSON, 415 to an unknown content type, 413 to an oversized body', async () => {
    expectProblem(await s.call('POST', '/automation/workflows', { raw: '{"name": ', headers: { 'content-type': 'application/json' } }), 400, 'bad_request');
    expectProblem(await s.call('POST', '/automation/workflows', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    const big = { ...LINEAR, description: 'x'.repeat(100 * 1024) };
    expectProblem(await s.call('POST', '/automation/workflows', { body: big }), 413, 'payload_too_large');
    expectProblem(await s.call('POST', '/automation/workflows/import', { raw: `name: ${'y'.repeat(100 * 1024)}`, headers: { 'content-type': 'application/yaml' } }), 413, 'payload_too_large');
  });

  it('answers 404 problem+json to unknown routes and unknown ids', async () => {
    expectProblem(await s.call('GET', '/automation/nothing-here'), 404, 'not_found');
    for (const path of ['/automation/workflows/wf_missing', '/automation/executions/exec_missing', '/automation/templates/tpl_missing', '/automation/actions/nope', '/automation/workflows/wf_missing/export']) {
      const r = await s.call('GET', path);
      expectProblem(r, 404, 'not_found');
    }
  });

  it('never answers 500 to bad input', async () => {
    const bodies: unknown[] = [null, [], 'text', 42, { name: '' }, { name: 'x', nodes: 'all' }, { name: 'x', nodes: [null] }, { input_data: { a: 1 }, mode: 'prod' }, { trigger_type: 'psychic' }];
    const wf = await s.call('POST', '/automation/workflows', { body: LINEAR });
    const targets = [
      '/automation/workflows', `/automation/workflows/${wf.body.id}/nodes`, `/automation/workflows/${wf.body.id}/edges`, `/automation/workflows/${wf.body.id}/execute`,
      `/automation/workflows/${wf.body.id}/triggers`, '/automation/workflows/import', '/automation/admin/users', '/automation/admin/api-keys', '/auth/login',
    ];
    for (const target of targets) {
      for (const body of bodies) {
        const r = await s.call('POST', target, { raw: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect(r.status, `${target} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${target} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    const put = await s.call('PUT', `/automation/workflows/${wf.body.id}`, { body: { edges: [{ source_node_id: 'a' }] }, headers: { 'if-match': 'soon' } });
    expect(put.status).toBe(400);
  });
});
