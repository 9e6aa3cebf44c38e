import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

describe.each(DIALECTS)('durability on $name', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    server = await httpFixture((req, res) => {
      if (req.url.startsWith('/hang')) return;
      if (req.url.startsWith('/fail')) return json(res, 503, { busy: true });
      json(res, 200, { ok: true, key: req.headers['idempotency-key'] });
    });
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('a delay survives a restart: the reopened engine wakes it and finishes the execution', async () => {
    const ex = await h.start(wf([n('wait', 'delay', { seconds: 300 }), transform('after', '"woke"')], [e('wait', 'after')]));
    h = await h.reopen();
    const r = await h.settle(ex.id, 60_000);
    expect(r.execution.status).toBe('completed');
    expect(r.node('after').output).toBe('woke');
    expect(r.attempts('wait')).toHaveLength(1);
  });

  it('a retry backoff survives a restart and resumes at the next attempt', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/fail` }, { retry: { max_attempts: 3, backoff: 'fixed', initial_seconds: 60 } })], []));
    await h.until(ex.id, (x) => x.status === 'waiting');
    h = await h.reopen();
    const r = await h.settle(ex.id, 30_000);
    expect(r.attempts('call').map((a) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(r.execution.status).toBe('failed');
  });

  it('a step running when the process died is dispatched again with the same attempt and idempotency key', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/hang` }), transform('after', '1')], [e('call', 'after')]));
    await h.until(ex.id, () => server.requests.some((r) => r.url === '/hang'));
    const before = (await h.result(ex.id)).node('call');
    expect(before.status).toBe('running');
    h = await h.reopen();
    // Embedded SQLite takes over at once; on PostgreSQL the dead owner's lease must expire first.
    h.clock.advance(61_000);
    await h.until(ex.id, () => server.requests.filter((r) => r.url === '/hang').length >= 2);
    const hangs = server.requests.filter((r) => r.url === '/hang');
    expect(hangs[1]!.headers['idempotency-key']).toBe(hangs[0]!.headers['idempotency-key']);
    expect(hangs[0]!.headers['idempotency-key']).toBe(`${ex.id}:call::1`);
    const after = (await h.result(ex.id)).node('call');
    expect(after.attempt).toBe(1);
    expect(after.lease_token).toBe(before.lease_token + 1);
    await h.app.engine.cancel(ex.id);
  });

  it('the same idempotency key starts one execution', async () => {
    const version = await h.deploy(wf([transform('a', '$trigger.n')], []));
    const [a, b] = await Promise.all([
      h.app.engine.startExecution({ version, input: { n: 1 }, idempotencyKey: 'delivery-1' }),
      h.app.engine.startExecution({ version, input: { n: 1 }, idempotencyKey: 'delivery-1' }),
    ]);
    const c = await h.app.engine.startExecution({ version, input: { n: 1 }, idempotencyKey: 'delivery-1' });
    expect(a.id).toBe(b.id);
    expect(c.id).toBe(a.id);
  });

  it('executions pin their version: a new version does not change a parked execution', async () => {
    const def = wf([n('wait', 'delay', { seconds: 10 }), transform('after', '"v1"')], [e('wait', 'after')]);
    const v1 = await h.deploy(def);
    const ex = await h.start(v1);
    const v2 = await h.app.store.workflows.snapshotVersion(v1.workflow_id, wf(def.nodes.map((x) => (x.id === 'after' ? transform('after', '"v2"') : x)), [...def.edges]));
    expect(v2.version).toBe(2);
    const r = await h.settle(ex.id);
    expect(r.execution.version).toBe(1);
    expect(r.node('after').output).toBe('v1');
  });
});

describe.each(DIALECTS)('graceful stop on $name', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    server = await httpFixture((req, res) => {
      if (req.url === '/slow') setTimeout(() => json(res, 200, { slow: true }), 300);
      else if (req.url !== '/hang') json(res, 200, { ok: true });
    });
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('a step in flight gets the grace period to finish; its result is committed, not re-run', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/slow` }), transform('after', '$input.body.slow')], [e('call', 'after')]));
    await h.until(ex.id, () => server.requests.some((r) => r.url === '/slow'));
    h = await h.reopen({ graceMs: 5000 });
    const r = await h.settle(ex.id);
    expect(r.node('call').status).toBe('completed');
    expect(r.node('after').output).toBe(true);
    expect(server.requests.filter((x) => x.url === '/slow')).toHaveLength(1);
  });

  it('a step still running after the grace period has its lease released: the next process takes it at once', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/hang` })], []));
    await h.until(ex.id, () => server.requests.some((r) => r.url === '/hang'));
    h = await h.reopen({ graceMs: 0 });
    // No clock advance: even on PostgreSQL, where leases are honoured until they expire.
    await h.until(ex.id, () => server.requests.filter((r) => r.url === '/hang').length >= 2);
    expect((await h.result(ex.id)).node('call').attempt).toBe(1);
    await h.app.engine.cancel(ex.id);
  });
});
