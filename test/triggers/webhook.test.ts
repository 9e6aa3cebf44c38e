import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/triggers/ingress.js';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, startTriggerServer, triggersOf, untilExecutions } from './trigger-test-kit.js';

const SECRET = "It's a Secret to Everybody";

it('computes the GitHub signature test vector of WIRE-FORMATS.md', () => {
  expect(`sha256=${hmacHex(SECRET, 'Hello, World!')}`).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
});

describe.each(DIALECTS)('webhook trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect, { bodyLimitBytes: 64 * 1024 });
  });
  afterAll(async () => s.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/webhooks/${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('GitHub mode, HMAC-SHA256 of the raw body (sha256= and plain hex): a signed delivery starts one execution, a retried one nothing new', async () => {
    const wf = await deployActive(s, echoWorkflow('Signed hook', { trigger_type: 'webhook', path: 'gh/hook', auth: { mode: 'github', secret: SECRET } }));
    const body = JSON.stringify({ hello: 'world' });
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const first = await post('gh/hook', body, { 'x-hub-signature-256': sig, 'x-github-delivery': 'd-1' });
    expect(first.status).toBe(202);
    const firstBody = (await first.json()) as { execution_id: string; duplicate: boolean };
    expect(firstBody.duplicate).toBe(false);
    const again = await post('gh/hook', body, { 'x-hub-signature-256': sig, 'x-github-delivery': 'd-1' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { execution_id: string }).execution_id).toBe(firstBody.execution_id);
    const plain = await post('gh/hook', body, { 'x-hub-signature-256': sig.slice(7), 'x-github-delivery': 'd-2' });
    expect(plain.status).toBe(202);

    const runs = await untilExecutions(s, wf, 2);
    expect(runs).toHaveLength(2);
    const one = runs.find((e) => e.id === firstBody.execution_id)!;
    expect(one).toMatchObject({ mode: 'trigger', trigger_type: 'webhook', status: 'completed' });
    expect(one.input_data).toMatchObject({ body: { hello: 'world' }, method: 'POST', path: 'gh/hook', headers: { 'x-github-delivery': 'd-1' } });
    expect(one.output).toEqual({ echo: one.input_data });

    const [t] = await triggersOf(s, wf);
    expect(t).toMatchObject({ trigger_type: 'webhook', node_id: 'in', status: 'running', fire_count: 2, last_error: null });
    expect(typeof t!['last_fired_at']).toBe('string');
  });

  it('refuses a wrong signature (401, nothing started), malformed JSON (400) and an oversized body (413)', async () => {
    const wf = await deployActive(s, echoWorkflow('Strict hook', { trigger_type: 'webhook', path: 'strict', auth: { mode: 'github', secret: 's3cret' } }));
    const body = '{"a":1}';
    const bad = await post('strict', body, { 'x-hub-signature-256': `sha256=${hmacHex('other', body)}` });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await post('strict', body)).status).toBe(401);
    const broken = '{"a":';
    expect((await post('strict', broken, { 'x-hub-signature-256': hmacHex('s3cret', broken) })).status).toBe(400);
    const big = JSON.stringify({ x: 'y'.repeat(70 * 1024) });
    expect((await post('strict', big, { 'x-hub-signature-256': hmacHex('s3cret', big) })).status).toBe(413);
    expect(await executionsOf(s, wf)).toEqual([]);
  });

  it('header token, basic auth and a signed timestamp window (replays outside it get 401)', async () => {
    const tokenWf = await deployActive(s, echoWorkflow('Token hook', { trigger_type: 'webhook', path: 'token', methods: ['PUT'], auth: { mode: 'header', header: 'x-token', token: 'tok-1' } }));
    const put = (headers: Record<string, string>) => fetch(`${s.url}/webhooks/token`, { method: 'PUT', body: 'plain text', headers: { 'content-type': 'text/plain', ...headers } });
    expect((await put({ 'x-token': 'nope' })).status).toBe(401);
    expect((await put({ 'x-token': 'tok-1' })).status).toBe(202);
    expect((await fetch(`${s.url}/webhooks/token`, { method: 'POST', body: '{}', headers: { 'x-token': 'tok-1' } })).status).toBe(404);
    const [tokenRun] = await untilExecutions(s, tokenWf, 1);
    expect(tokenRun!.input_data).toMatchObject({ body: 'plain text', method: 'PUT' });
    expect(JSON.stringify(tokenRun!.input_data)).not.toContain('tok-1');

    await deployActive(s, echoWorkflow('Basic hook', { trigger_type: 'webhook', path: 'basic', auth: { mode: 'basic', username: 'ops', password: 'pw:1' } }));
    const basic = (u: string, p: string) => post('basic', '{}', { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    expect((await basic('ops', 'wrong')).status).toBe(401);
    expect((await basic('ops', 'pw:1')).status).toBe(202);

    await deployActive(s, echoWorkflow('Stamped hook', {
      trigger_type: 'webhook', path: 'stamped', auth: { mode: 'hmac', secret: 'k', signature_header: 'x-signature', timestamp_header: 'x-timestamp', tolerance_seconds: 60 },
    }));
    const stamped = (ts: number) => {
      const body = '{"n":1}';
      return post('stamped', body, { 'x-timestamp': String(ts), 'x-signature': hmacHex('k', `${ts}.${body}`) });
    };
    const now = Math.floor(Date.now() / 1000);
    expect((await stamped(now)).status).toBe(202);
    expect((await stamped(now - 3600)).status).toBe(401);
  });

  it('result mode waits for the workflow and answers with the chosen node\'s output', async () => {
    const def = {
      name: 'Sync hook',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'sum', auth: { mode: 'none' }, response: { mode: 'result', node_id: 'answer' } } },
        { id: 'answer', node_type: 'transform', config: { expression: '{"sum": $sum($trigger.body.n), "count": $count($trigger.body.n)}' } },
        { id: 'tail', node_type: 'transform', config: { expression: '"ignored"' } },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'answer' }, { source_node_id: 'answer', target_node_id: 'tail' }],
    };
    const wf = await deployActive(s, def);
    const r = await post('sum', JSON.stringify({ n: [1, 2, 3] }));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ sum: 6, count: 3 });
    const [run] = await untilExecutions(s, wf, 1);
    expect(r.headers.get('x-itw-execution-id')).toBe(run!.id);
  });

  it('deactivating stops the webhook (404) and activating brings it back; a second trigger on the same path is refused', async () => {
    const wf = await deployActive(s, echoWorkflow('Toggle hook', { trigger_type: 'webhook', path: 'toggle', auth: { mode: 'none' } }));
    expect((await post('toggle', '{}')).status).toBe(202);
    expect((await s.call('POST', `/automation/workflows/${wf}/deactivate`)).status).toBe(200);
    expect((await post('toggle', '{}')).status).toBe(404);
    expect((await triggersOf(s, wf))[0]!.status).toBe('stopped');
    expect((await s.call('POST', `/automation/workflows/${wf}/activate`)).status).toBe(200);
    expect((await post('toggle', '{}')).status).toBe(202);

    // Activation's preflight refuses the taken path up front instead of leaving an invalid trigger (issue 13).
    const other = await s.call('POST', '/automation/workflows', { body: echoWorkflow('Same path', { trigger_type: 'webhook', path: 'toggle', auth: { mode: 'none' } }) });
    const refused = await s.call('POST', `/automation/workflows/${other.body.id}/activate`);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.errors)).toContain('toggle');
    expect((await s.call('GET', `/automation/workflows/${other.body.id}`)).body.status).not.toBe('active');
    expect((await s.call('DELETE', `/automation/workflows/${wf}`)).status).toBe(204);
    expect((await post('toggle', '{}')).status).toBe(404);
  });

  it('registers triggers through /triggers too, validating their config', async () => {
    const wf = await deployActive(s, { name: 'Registered', nodes: [{ id: 'echo', node_type: 'transform', config: { expression: '$trigger.body' } }], edges: [] });
    const bad = await s.call('POST', `/automation/workflows/${wf}/triggers`, { body: { trigger_type: 'webhook', config: { path: 'has spaces' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/config/path');
    const ok = await s.call('POST', `/automation/workflows/${wf}/triggers`, { body: { trigger_type: 'webhook', config: { path: 'registered', auth: { mode: 'none' } } } });
    expect(ok.status).toBe(201);
    expect((await post('registered', '{"x":1}')).status).toBe(202);
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.output).toEqual({ echo: { x: 1 } });
    expect((await s.call('DELETE', `/automation/workflows/${wf}/triggers/${ok.body.id}`)).status).toBe(204);
    expect((await post('registered', '{}')).status).toBe(404);
  });
});
