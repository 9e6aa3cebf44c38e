import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';

/**
 * Issue 11 finding 9: cheap requests that held the server. Each test repeats the attack through the
 * API and checks the answer an attacker gets, and that the server kept answering /health meanwhile.
 */
describe('denial of service', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(DIALECTS[0]!);
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
    const other = await startApiServer(DIALECTS[0]!, { config: { loginMaxFailuresPerIp: 3 } });
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
    const node = done.body.nodes.find((n: { node_id: string }) => n.node_id === 'heavy');
    expect(node.error.code).toBe('expression_limit_exceeded');
    expect(await health()).toBe(200);
  });
});
