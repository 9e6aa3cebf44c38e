import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { openEvents } from '../api/sse-client.js';
import { SQLITE } from '../support/harness.js';

/**
 * Issue 11 finding 9: cheap requests that held the server. Each test repeats the attack through the
 * API and checks the answer an attacker gets, and that the server kept answering /health meanwhile.
 */
describe('denial of service', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE);
  });
  afterAll(() => s.close());

  const health = async () => (await fetch(`${s.url}/health`)).status;

  it('40 parallel bad logins with random usernames: the excess gets 429 with Retry-After, /health answers meanwhile', async () => {
    const burst = Array.from({ length: 40 }, () =>
      fetch(`${s.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: randomUUID(), password: 'guess' }) }));
    const during = await health();
    const answers = await Promise.all(burst);
    expect(during).toBe(200);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(statuses.every((c) => c === 401 || c === 429)).toBe(true);
    const limited = answers.find((r) => r.status === 429)!;
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
  });

  it('one IP spraying usernames one at a time is cut off by the per-IP budget', async () => {
    const other = await startApiServer(SQLITE, { config: { loginMaxFailuresPerIp: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await other.call('POST', '/auth/login', { as: null, body: { username: `user-${i}`, password: 'guess' } });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await other.close();
    }
  });

  const transformRun = async (expression: string) => {
    const wf = await s.call('POST', '/automation/workflows', {
      body: { name: `Heavy ${randomUUID()}`, nodes: [{ id: 'heavy', node_type: 'transform', config: { expression } }], edges: [] },
    });
    expect(wf.status, wf.text).toBe(201);
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: {}, mode: 'test' } });
    expect(run.status, run.text).toBe(202);
    return String(run.body.id);
  };

  it.each([
    ['a 1e7 range', '$count([1..10000000].($string($)))'],
    ['a nested loop that runs past the time budget', '$count([1..90000].($sum([1..90000])))'],
  ])('a transform with %s fails its node with expression_limit_exceeded; /health answers while it runs', async (_what, expression) => {
    const id = await transformRun(expression);
    expect(await health()).toBe(200);
    const done = await untilStatus(s, id);
    expect(done.body.status).toBe('failed');
    const nodes = done.body.nodes as Array<{ node_id: string; error: { code: string } | null }>;
    expect(nodes.find((n) => n.node_id === 'heavy')?.error?.code).toBe('expression_limit_exceeded');
    expect(await health()).toBe(200);
  });

  const manyBranches = (n: number) => ({
    name: `Wide ${randomUUID()}`,
    nodes: [{ id: 'root', node_type: 'transform', config: { expression: '1' } },
      ...Array.from({ length: n }, (_, i) => ({ id: `b${i}`, node_type: 'transform', config: { expression: `$input + ${i}` } }))],
    edges: Array.from({ length: n }, (_, i) => ({ source_node_id: 'root', target_node_id: `b${i}` })),
  });

  it('a 7,000-branch definition is refused with 413 problem+json at create and at import; a 100-branch one is fine', async () => {
    const huge = manyBranches(7000);
    for (const path of ['/automation/workflows', '/automation/workflows/import']) {
      const r = await s.call('POST', path, { body: huge });
      expect(r.status, path).toBe(413);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.code).toBe('payload_too_large');
      expect((r.body.errors as Array<{ path: string }>).map((e) => e.path)).toContain('/nodes');
    }
    const asYaml = await s.call('POST', '/automation/workflows/import', { raw: JSON.stringify(huge), headers: { 'content-type': 'application/yaml' } });
    expect(asYaml.status).toBe(413);
    expect((await s.call('POST', '/automation/workflows', { body: manyBranches(100) })).status).toBe(201);
  });

  it('an 800 KB, 400k-deep JSON body gets 400 problem+json naming the depth, at the API and at a webhook', async () => {
    const deep = '['.repeat(400_000) + ']'.repeat(400_000);
    const api = await s.call('POST', '/automation/workflows/import', { raw: deep, headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(api.body.detail).toContain('deeper than');

    const hook = await s.call('POST', '/automation/workflows', {
      body: { name: 'Deep hook', nodes: [{ id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'deep', auth: { mode: 'none' } } }], edges: [] },
    });
    expect((await s.call('POST', `/automation/workflows/${hook.body.id}/activate`)).status).toBe(200);
    const r = await fetch(`${s.url}/webhooks/deep`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { detail: string }).detail).toContain('deeper than');
    expect(await health()).toBe(200);
  });

  it('a YAML alias bomb at import gets 400 problem+json naming the expansion', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    lines.push('name: bomb', 'nodes: []', 'edges: []');
    const r = await s.call('POST', '/automation/workflows/import', { raw: lines.join('\n'), headers: { 'content-type': 'application/yaml' } });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.detail).toMatch(/alias/i);
  });

  it('the 21st event stream of one viewer key gets 429 problem+json; other keys still get theirs, and closing one frees a slot', async () => {
    const viewer = { authorization: `Bearer ${s.keys.viewer}` };
    const streams = [];
    for (let i = 0; i < 20; i++) {
      const st = await openEvents(`${s.url}/automation/events`, viewer);
      expect(st.status).toBe(200);
      await st.until((m) => m.event === 'ready');
      streams.push(st);
    }
    try {
      const extra = await fetch(`${s.url}/automation/events`, { headers: viewer });
      expect(extra.status).toBe(429);
      expect(extra.headers.get('content-type')).toContain('application/problem+json');
      expect(extra.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await extra.json()) as { code: string }).code).toBe('rate_limited');

      const other = await openEvents(`${s.url}/automation/events`, { authorization: `Bearer ${s.keys.operator}` });
      expect(other.status).toBe(200);
      await other.stop();

      await streams.pop()!.stop();
      let status = 429;
      for (let i = 0; i < 500 && status === 429; i++) {
        const again = await fetch(`${s.url}/automation/events`, { headers: viewer });
        status = again.status;
        if (status === 200) await again.body?.cancel();
        else await new Promise((r) => setTimeout(r, 10)); // the server sees the close a moment after the client
      }
      expect(status).toBe(200);
    } finally {
      await Promise.all(streams.map((st) => st.stop()));
    }
  });
});
