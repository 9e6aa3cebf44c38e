import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

describe.each(DIALECTS)('cancel, pause and resume on $name', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    server = await httpFixture((req, res) => {
      if (req.url === '/hang') return;
      json(res, 200, { ok: true });
    });
  });
  afterAll(async () => { await h.close(); await server.close(); });

  const delayed = wf([n('t', 'trigger'), n('wait', 'delay', { seconds: 60 }), transform('after', '"ran"')], [e('t', 'wait'), e('wait', 'after')]);

  it('cancel during a delay: the wait is cancelled and nothing after it runs, even when its time comes', async () => {
    const ex = await h.start(delayed);
    expect(ex.status).toBe('waiting');
    const cancelled = await h.app.engine.cancel(ex.id);
    expect(cancelled.status).toBe('cancelled');
    h.clock.advance(120_000);
    const r = await h.result(ex.id);
    expect(r.execution.status).toBe('cancelled');
    expect(r.node('wait').status).toBe('cancelled');
    expect(r.runs.find((x) => x.node_id === 'after')).toBeUndefined();
  });

  it('cancel while a request is in flight aborts it; its late answer changes nothing', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/hang` }), transform('after', '1')], [e('call', 'after')]));
    await h.until(ex.id, () => server.requests.some((r) => r.url === '/hang'));
    await h.app.engine.cancel(ex.id);
    const r = await h.result(ex.id);
    expect(r.execution.status).toBe('cancelled');
    expect(r.node('call').status).toBe('cancelled');
    expect(r.runs.find((x) => x.node_id === 'after')).toBeUndefined();
  });

  it('pause holds a due wake-up until resume; then the execution completes', async () => {
    const ex = await h.start(delayed);
    expect((await h.app.engine.pause(ex.id)).status).toBe('paused');
    h.clock.advance(120_000);
    await new Promise((r) => setTimeout(r, 20));
    const paused = await h.result(ex.id);
    expect(paused.execution.status).toBe('paused');
    expect(paused.node('wait').status).toBe('waiting');
    expect((await h.app.engine.resume(ex.id)).status).not.toBe('paused');
    const r = await h.settle(ex.id);
    expect(r.execution.status).toBe('completed');
    expect(r.node('after').output).toBe('ran');
  });

  it('pause before a step: successors are recorded pending and start on resume', async () => {
    const ex = await h.start(wf([n('wait', 'delay', { seconds: 1 }), n('call', 'api_call', { url: `${server.url}/ok` })], [e('wait', 'call')]));
    await h.app.engine.pause(ex.id);
    await h.app.engine.resume(ex.id);
    await h.app.engine.pause(ex.id);
    h.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect((await h.result(ex.id)).runs.find((x) => x.node_id === 'call')).toBeUndefined();
    await h.app.engine.resume(ex.id);
    const r = await h.settle(ex.id);
    expect(r.execution.status).toBe('completed');
    expect(r.node('call').output).toMatchObject({ status: 200 });
  });

  it('controls on a finished execution are refused with a conflict', async () => {
    const r = await h.run(wf([transform('a', '1')], []));
    await expect(h.app.engine.cancel(r.execution.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.engine.resume(r.execution.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.engine.cancel('exec_missing')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe.each(DIALECTS)('max_concurrent_executions on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  it('queues executions over the limit as pending and starts them in order as slots free', async () => {
    const version = await h.deploy(wf([n('wait', 'delay', { seconds: 10 }), transform('done', '$trigger.n')], [e('wait', 'done')], { settings: { max_concurrent_executions: 1 } }));
    const a = await h.start(version, { n: 1 });
    const b = await h.start(version, { n: 2 });
    const c = await h.start(version, { n: 3 });
    expect([a.status, b.status, c.status]).toEqual(['waiting', 'pending', 'pending']);
    expect((await h.result(b.id)).runs).toHaveLength(0);
    const ra = await h.settle(a.id, 10_000);
    expect(ra.execution.status).toBe('completed');
    const bRunning = await h.until(b.id, (x) => x.status === 'waiting');
    expect(bRunning.started_at).toBeGreaterThanOrEqual(ra.execution.finished_at!);
    expect((await h.result(c.id)).execution.status).toBe('pending');
    const rb = await h.settle(b.id, 10_000);
    expect(rb.execution.status).toBe('completed');
    const rc = await h.settle(c.id, 10_000);
    expect(rc.node('done').output).toBe(3);
    expect(rc.execution.started_at).toBeGreaterThanOrEqual(rb.execution.finished_at!);
  });

  it('a queued execution can be cancelled before it starts', async () => {
    const version = await h.deploy(wf([n('wait', 'delay', { seconds: 10 })], [], { settings: { max_concurrent_executions: 1 } }));
    const a = await h.start(version);
    const b = await h.start(version);
    expect((await h.app.engine.cancel(b.id)).status).toBe('cancelled');
    await h.app.engine.cancel(a.id);
  });
});
