import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE } from '../support/harness.js';
import { LINEAR, startApiServer, untilStatus, type ApiServer } from './api-server.js';

describe('settings.concurrency over the API', () => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(SQLITE); });
  afterAll(async () => s.close());

  const withConcurrency = (concurrency: unknown) => ({ ...LINEAR, name: 'Keyed', settings: { concurrency } });
  const paths = (body: { errors: Array<{ path: string }> }) => body.errors.map((e) => e.path).sort();

  it('refuses a bad limit, a missing key, unknown fields and a broken key template (at activation) naming the field', async () => {
    const zero = await s.call('POST', '/automation/workflows', { body: withConcurrency({ key: '{{ $trigger.host }}', limit: 0 }) });
    expect(zero.status).toBe(400);
    expect(zero.headers.get('content-type')).toMatch(/problem\+json/);
    expect(paths(zero.body)).toContain('/settings/concurrency/limit');
    const missing = await s.call('POST', '/automation/workflows', { body: withConcurrency({ limit: 1, script: 'process.exit()' }) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toMatch(/settings\/concurrency/);
    // A draft may hold a broken template (it is being edited); activating it is refused, naming the field.
    const broken = await s.call('POST', '/automation/workflows', { body: withConcurrency({ key: '{{ $trigger.host ', limit: 1 }) });
    expect(broken.status).toBe(201);
    const activate = await s.call('POST', `/automation/workflows/${broken.body.id}/activate`);
    expect(activate.status).toBe(422);
    expect(JSON.stringify(activate.body)).toContain('/settings/concurrency/key');
  });

  it('a viewer cannot set it; an accepted setting comes back and the execution carries no trigger data into code', async () => {
    expect((await s.call('POST', '/automation/workflows', { as: 'viewer', body: withConcurrency({ key: '{{ $trigger.host }}', limit: 1 }) })).status).toBe(403);
    const wf = await s.call('POST', '/automation/workflows', { body: withConcurrency({ key: 'host-{{ $trigger.host }}', limit: 2 }) });
    expect(wf.status).toBe(201);
    expect(wf.body.settings.concurrency).toEqual({ key: 'host-{{ $trigger.host }}', limit: 2 });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body: { input_data: { host: '{{ $vars }}"); drop table executions; --', items: [1] } } });
    expect(run.status).toBe(202);
    const done = await untilStatus(s, String(run.body.id));
    expect(done.body.status).toBe('completed');
    // The template's value, kept as plain data: the `{{ }}` inside trigger data is not evaluated again.
    expect(done.body.concurrency_key).toBe('host-{{ $vars }}"); drop table executions; --');
  });
});
