import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

describe.each(DIALECTS)('failures, retries and timeouts on $name', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    server = await httpFixture((req, res) => {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/fail') return json(res, 500, { error: 'boom' });
      if (u.pathname === '/bad') return json(res, 400, { error: 'bad request' });
      if (u.pathname === '/hang') return; // never answers
      if (u.pathname.startsWith('/flaky/')) {
        // Fails the first `n` calls of each key, then succeeds.
        const [, , key, times] = u.pathname.split('/');
        const seen = server.requests.filter((r) => r.url === req.url).length;
        return seen <= Number(times) ? json(res, 503, { error: 'busy' }, { 'retry-after': '0' }) : json(res, 200, { key, seen });
      }
      json(res, 200, { ok: true });
    });
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('a failure with an error edge is caught: the error path runs with $error and the execution completes', async () => {
    //  call ─error─► handle
    //    └───out───► next
    const r = await h.run(wf(
      [n('call', 'api_call', { url: `${server.url}/bad` }), transform('handle', '{"msg": $error.message, "code": $input.code}'), transform('next', '"no"')],
      [e('call', 'handle', 'error'), e('call', 'next')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.node('call').status).toBe('failed');
    expect(r.node('call').error).toMatchObject({ code: 'http_status', node_id: 'call' });
    expect(r.node('next').status).toBe('skipped');
    expect(r.node('handle').output).toMatchObject({ code: 'http_status' });
    expect((r.node('handle').output as { msg: string }).msg).toContain('HTTP 400');
  });

  it('uncaught with error_strategy stop: the error handler runs, other work is cancelled, the execution fails', async () => {
    //  p ──► call(/fail) ──► after
    //  └───► slow(delay 60s) ──► later
    //  on_error (error_handler) ──► report
    const r = await h.run(wf(
      [n('p', 'parallel'), n('call', 'api_call', { url: `${server.url}/fail` }), transform('after', '1'), n('slow', 'delay', { seconds: 60 }), transform('later', '1'),
        n('on_error', 'error_handler'), transform('report', '"failed at " & $error.node_id')],
      [e('p', 'call'), e('call', 'after'), e('p', 'slow'), e('slow', 'later'), e('on_error', 'report')],
    ));
    expect(r.execution.status).toBe('failed');
    expect(r.execution.error).toMatchObject({ code: 'http_status', node_id: 'call' });
    expect(r.node('report').output).toBe('failed at call');
    expect(r.node('slow').status).toBe('cancelled');
    expect(r.runs.find((x) => x.node_id === 'after')).toBeUndefined();
    expect(r.runs.find((x) => x.node_id === 'later')).toBeUndefined();
  });

  it('uncaught with error_strategy continue: the error handler runs and the other branches complete', async () => {
    const r = await h.run(wf(
      [n('p', 'parallel'), n('call', 'api_call', { url: `${server.url}/fail` }), transform('after', '1'), transform('other', '"done"'), n('on_error', 'error_handler')],
      [e('p', 'call'), e('call', 'after'), e('p', 'other')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.node('after').status).toBe('skipped');
    expect(r.node('on_error').output).toMatchObject({ node_id: 'call' });
    // The handler's path ended too: it is in the output beside the branch that completed.
    expect(r.execution.output).toEqual({ other: 'done', on_error: expect.objectContaining({ node_id: 'call' }) });
  });

  it('without an error handler, an uncaught failure fails the execution with the node error', async () => {
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/bad` })], []));
    expect(r.execution.status).toBe('failed');
    expect(r.execution.error).toMatchObject({ code: 'http_status', node_id: 'call', retryable: false });
  });

  it('retries with exponential backoff: every attempt is recorded, waits double', async () => {
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/flaky/exp-${dialect.name}/2` }, { retry: { max_attempts: 4, backoff: 'exponential', initial_seconds: 2 } })], []));
    expect(r.execution.status).toBe('completed');
    const attempts = r.attempts('call');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'completed']]);
    expect(attempts[0]!.error).toMatchObject({ code: 'http_status', retryable: true });
    // The fake clock advances 1 s per poll while waiting, so starts are at least the backoff apart.
    expect(attempts[1]!.started_at! - attempts[0]!.finished_at!).toBeGreaterThanOrEqual(2000);
    expect(attempts[2]!.started_at! - attempts[1]!.finished_at!).toBeGreaterThanOrEqual(4000);
    expect(attempts[1]!.started_at! - attempts[0]!.finished_at!).toBeLessThan(4000);
  });

  it('fixed backoff, and giving up after max_attempts', async () => {
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/flaky/fixed-${dialect.name}/9` }, { retry: { max_attempts: 3, backoff: 'fixed', initial_seconds: 3 } })], []));
    expect(r.execution.status).toBe('failed');
    const a = r.attempts('call');
    expect(a).toHaveLength(3);
    expect(a[2]!.started_at! - a[1]!.finished_at!).toBeGreaterThanOrEqual(3000);
    expect(a[2]!.started_at! - a[1]!.finished_at!).toBeLessThan(6000);
  });

  it('non-retryable errors are not retried even with a retry policy', async () => {
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/bad` }, { retry: { max_attempts: 5, initial_seconds: 1 } })], []));
    expect(r.attempts('call')).toHaveLength(1);
  });

  it('workflow settings retry_on_failure/max_retries apply to nodes without their own policy', async () => {
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/flaky/settings-${dialect.name}/1` })], [], { settings: { retry_on_failure: true, max_retries: 2 } }));
    expect(r.execution.status).toBe('completed');
    expect(r.attempts('call')).toHaveLength(2);
  });

  it('a node timeout aborts the request and fails the node with code timeout', async () => {
    const ex = await h.start(wf([n('call', 'api_call', { url: `${server.url}/hang` }, { timeout_seconds: 5 })], []));
    await h.until(ex.id, () => server.requests.some((r) => r.url === '/hang'));
    h.clock.advance(5000);
    const r = await h.settle(ex.id);
    expect(r.execution.status).toBe('failed');
    expect(r.node('call').error).toMatchObject({ code: 'timeout' });
  });

  it('the workflow timeout fails an execution parked in a delay', async () => {
    const r = await h.run(wf([n('wait', 'delay', { seconds: 600 }), transform('after', '1')], [e('wait', 'after')], { settings: { timeout_seconds: 30 } }));
    expect(r.execution.status).toBe('failed');
    expect(r.execution.error).toMatchObject({ code: 'workflow_timeout' });
    expect(r.node('wait').status).toBe('cancelled');
  });

  it('an expression error fails the node without retries and names the expression', async () => {
    const r = await h.run(wf([transform('bad', '$number("abc") + $undefinedFn()')], [], { settings: { retry_on_failure: true, max_retries: 3 } }));
    expect(r.execution.status).toBe('failed');
    expect(r.attempts('bad')).toHaveLength(1);
    expect(r.node('bad').error).toMatchObject({ code: 'expression_error' });
  });

  it('an output over the size cap fails the node with a clear error instead of bloating the record', async () => {
    // 90,000 short strings: past the 1 MiB output cap, under the expression item limit.
    const r = await h.run(wf([transform('huge', '[1..90000].("0123456789abcdef")'), transform('after', '1')], [e('huge', 'after')]));
    expect(r.execution.status).toBe('failed');
    expect(r.node('huge').error).toMatchObject({ code: 'output_too_large', retryable: false });
    expect(r.node('huge').error!.message).toContain('ITW_MAX_OUTPUT_BYTES');
    expect(r.node('huge').output).toBeNull();
  });
});
