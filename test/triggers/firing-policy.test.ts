import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import type { ApiServer } from '../api/api-server.js';
import { deployActive, echoWorkflow, executionsOf, startTriggerServer, untilExecutions, untilTrigger } from './trigger-test-kit.js';

describe.each(DIALECTS)('trigger rate_limit and debounce_seconds ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startTriggerServer(dialect); });
  afterAll(async () => s.close());

  const post = (path: string, body: unknown) =>
    fetch(`${s.url}/webhooks/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('a webhook over its rate limit answers 429 with Retry-After and starts nothing; the trigger status counts it', async () => {
    const wf = await deployActive(s, echoWorkflow('Limited hook', { trigger_type: 'webhook', path: 'limited', auth: { mode: 'none' }, rate_limit: { max: 2, per_seconds: 60 } }));
    expect((await post('limited', { n: 1 })).status).toBe(202);
    expect((await post('limited', { n: 2 })).status).toBe(202);
    const over = await post('limited', { n: 3 });
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await over.json()).toMatchObject({ code: 'rate_limited' });
    await untilExecutions(s, wf, 2);
    const t = await untilTrigger(s, wf, (x) => (x as unknown as { dropped_count: number }).dropped_count === 1);
    expect(t).toMatchObject({ fire_count: 2, dropped_count: 1, debounced_count: 0 });
    expect((await executionsOf(s, wf)).length).toBe(2);
  });

  it('a burst to a debounced webhook becomes one execution with the last event', async () => {
    const wf = await deployActive(s, echoWorkflow('Debounced hook', { trigger_type: 'webhook', path: 'debounced', auth: { mode: 'none' }, debounce_seconds: 1.5 }));
    for (const n of [1, 2, 3]) {
      const r = await post('debounced', { n });
      expect(r.status).toBe(202);
      expect(await r.json()).toMatchObject({ status: 'debounced', debounce_until: expect.any(String) });
    }
    const [only] = await untilExecutions(s, wf, 1);
    expect(only!.input_data).toMatchObject({ body: { n: 3 } });
    const t = await untilTrigger(s, wf, (x) => x.fire_count === 1 && (x as unknown as { debounced_count: number }).debounced_count === 2);
    expect(t).toMatchObject({ dropped_count: 0 });
    // A later, separate event is its own execution.
    await post('debounced', { n: 4 });
    const both = await untilExecutions(s, wf, 2);
    expect(both.map((e) => (e.input_data as { body: { n: number } }).body.n).sort()).toEqual([3, 4]);
  });

  it('a listener source (internal events) over its rate limit drops and counts the event', async () => {
    const wf = await deployActive(s, echoWorkflow('Limited events', { trigger_type: 'event', source: 'internal', name: 'limited.evt', rate_limit: { max: 1, per_seconds: 3600 } }));
    const emit = () => s.call('POST', '/automation/events/limited.evt', { body: { a: 1 }, as: 'operator' });
    expect((await emit()).body.executions).toHaveLength(1);
    const second = await emit();
    expect(second.status).toBeLessThan(300);
    expect(second.body.executions).toEqual([]);
    await untilTrigger(s, wf, (x) => (x as unknown as { dropped_count: number }).dropped_count === 1);
    expect((await untilExecutions(s, wf, 1)).length).toBe(1);
  });

  it('bad settings are refused naming the field; a viewer cannot register a trigger', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: echoWorkflow('Plain', { trigger_type: 'manual' }) });
    const add = (config: unknown, as: 'editor' | 'viewer' = 'editor') => s.call('POST', `/automation/workflows/${wf.body.id}/triggers`, { as, body: { trigger_type: 'webhook', config } });
    const base = { path: 'policy-bad', auth: { mode: 'none' } };
    const zero = await add({ ...base, rate_limit: { max: 0, per_seconds: 10 } });
    expect(zero.status).toBe(400);
    expect((zero.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['/config/rate_limit/max']);
    const negative = await add({ ...base, debounce_seconds: -1 });
    expect(negative.status).toBe(400);
    expect((negative.body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['/config/debounce_seconds']);
    const extra = await add({ ...base, rate_limit: { max: 1, per_seconds: 1, burst: 'x' } });
    expect(extra.status).toBe(400);
    expect((await add({ ...base, debounce_seconds: 1 }, 'viewer')).status).toBe(403);
    // The same rules on a trigger node: activation is refused, naming the node's field.
    const node = await s.call('POST', '/automation/workflows', { body: echoWorkflow('Bad node policy', { trigger_type: 'webhook', path: 'policy-node', auth: { mode: 'none' }, rate_limit: { max: 0, per_seconds: 1 } }) });
    const activate = await s.call('POST', `/automation/workflows/${node.body.id}/activate`);
    expect(activate.status).toBe(422);
    expect(activate.text).toContain('/nodes/0/config/rate_limit/max');
  });
});
