import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import type { CredentialResolver, ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { callApiAction } from './call-api-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof callApiAction.run>[0]['params'];
const CREDENTIALS: Record<string, ResolvedCredential> = {
  bearer: { id: 'bearer', type: 'http_bearer', data: { token: 'tok-secret' }, allowed_hosts: ['127.0.0.1'] },
  basic: { id: 'basic', type: 'http_basic', data: { username: 'ops', password: 'pa:ss' }, allowed_hosts: ['127.0.0.1'] },
  header: { id: 'header', type: 'http_header', data: { name: 'X-Api-Key', value: 'key-secret' }, allowed_hosts: ['127.0.0.1'] },
};
const credentials: CredentialResolver = { get: (id) => Promise.resolve(CREDENTIALS[id]!) };
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials, services: testServices() });

// Scripted answers per path: /flaky fails twice, /limited asks to wait 1 s once, /down always fails.
let server: Awaited<ReturnType<typeof httpFixture>>;
const hits = new Map<string, number>();
beforeAll(async () => {
  server = await httpFixture((req, res) => {
    const path = req.url.split('?')[0] ?? '';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    if (path === '/flaky' && n <= 2) return json(res, 503, { error: 'busy' }, { 'retry-after': '0' });
    if (path === '/limited' && n === 1) return json(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
    if (path === '/far-future') return json(res, 429, {}, { 'retry-after': '3600' });
    if (path === '/down') return json(res, 500, { error: 'tok-secret leaked?' }, { 'retry-after': '0' });
    if (path === '/missing') return json(res, 404, { error: 'nope' });
    if (path === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      return;
    }
    json(res, 200, { headers: req.headers, body: req.body });
  });
});
afterAll(() => server.close());

describe('call_api', () => {
  it.each([
    ['bearer', 'authorization', 'Bearer tok-secret'],
    ['basic', 'authorization', `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`],
    ['header', 'x-api-key', 'key-secret'],
  ])('authenticates with an %s credential', async (id, header, value) => {
    const out = await callApiAction.run(ctx({ method: 'POST', url: `${server.url}/echo`, credential_id: id, body: { a: 1 }, headers: { authorization: 'overridden?' } }));
    expect(out).toMatchObject({ status: 200, attempts: 1 });
    const echo = out.body as { headers: Record<string, string>; body: string };
    expect(echo.headers[header]).toBe(value);
    expect(echo.body).toBe('{"a":1}');
  });

  it('retries 5xx answers and reports the attempts', async () => {
    const out = await callApiAction.run(ctx({ url: `${server.url}/flaky` }));
    expect(out).toMatchObject({ status: 200, attempts: 3 });
  });

  it('honours Retry-After on 429', async () => {
    const started = Date.now();
    const out = await callApiAction.run(ctx({ url: `${server.url}/limited` }));
    expect(out.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('gives up after max_retries with a retryable error that leaks no secret', async () => {
    const failing = callApiAction.run(ctx({ url: `${server.url}/down`, credential_id: 'bearer', max_retries: 1 }));
    await expect(failing).rejects.toBeInstanceOf(RetryableError);
    const err = await failing.then(
      () => expect.fail('expected a failure'),
      (e: unknown) => e as RetryableError,
    );
    expect(err).toMatchObject({ code: 'http_status', details: { status: 500, attempts: 2 } });
    expect(err.message).not.toContain('tok-secret');
  });

  it('hands a long Retry-After to the engine instead of sleeping', async () => {
    const failing = callApiAction.run(ctx({ url: `${server.url}/far-future` }));
    await expect(failing).rejects.toMatchObject({ code: 'http_status', retryAfterMs: 3_600_000, details: { attempts: 1 } });
  });

  it('does not retry a 4xx, and returns it when fail_on_status is false', async () => {
    await expect(callApiAction.run(ctx({ url: `${server.url}/missing` }))).rejects.toBeInstanceOf(NonRetryableError);
    const out = await callApiAction.run(ctx({ url: `${server.url}/missing`, fail_on_status: false }));
    expect(out).toMatchObject({ status: 404, body: { error: 'nope' }, attempts: 1 });
  });

  it('parses text bodies', async () => {
    expect((await callApiAction.run(ctx({ url: `${server.url}/text` }))).body).toBe('plain words');
  });
});
