import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { httpCheckAction } from './http-check-action.js';

type Params = Parameters<typeof httpCheckAction.run>[0]['params'];
const TOKEN = 'health-probe-token-123456';

let site: Awaited<ReturnType<typeof httpFixture>>;

beforeAll(async () => {
  site = await httpFixture((req, res) => {
    if (req.url === '/health') return json(res, 200, { status: 'UP', db: 'ok' });
    if (req.url === '/down') return json(res, 503, { status: 'DOWN' });
    if (req.url === '/private') return req.headers.authorization === `Bearer ${TOKEN}` ? json(res, 200, { ok: true }) : json(res, 401, { error: 'no' });
    if (req.url === '/hostile') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${'a'.repeat(40)}!`);
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2000);
    res.writeHead(404).end('not found');
  });
});

afterAll(() => site.close());

const creds = () => [{ id: 'probe', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: ['127.0.0.1'] }];
function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds(), services);
  return { lines, result: httpCheckAction.run(ctx) };
}

describe('http_check', () => {
  it('passes on a healthy endpoint whose body contains the text and matches the regex', async () => {
    const { result, lines } = run({ url: `${site.url}/health`, body_contains: '"UP"', body_regex: '"db":\\s*"ok"' });
    const out = await result;
    expect(out).toMatchObject({ ok: true, status: 200, matched: true, error: null });
    expect(out.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Value.Check(httpCheckAction.output, out)).toBe(true);
    expect(lines[0]!.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health → 200 in \d+ ms$/);
  });

  it('returns ok: false with the reason for an unexpected status, a body mismatch, and a refused connection', async () => {
    expect(await run({ url: `${site.url}/down` }).result).toMatchObject({ ok: false, status: 503, matched: null, error: 'status 503 is not one of 2xx' });
    expect(await run({ url: `${site.url}/health`, body_contains: 'DOWN' }).result).toMatchObject({ ok: false, status: 200, matched: false, error: 'the response body does not match' });
    const closed = await httpFixture(() => undefined);
    await closed.close();
    const refused = await run({ url: `${closed.url}/health` }).result;
    expect(refused).toMatchObject({ ok: false, status: null, latency_ms: null });
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });

  it('accepts codes, classes and ranges as expected statuses', async () => {
    expect(await run({ url: `${site.url}/down`, expected_status: [200, '500-503'] }).result).toMatchObject({ ok: true, status: 503 });
    expect(await run({ url: `${site.url}/nope`, expected_status: ['4xx'] }).result).toMatchObject({ ok: true, status: 404 });
  });

  it('times out as a failed check', async () => {
    const out = await run({ url: `${site.url}/slow`, timeout_seconds: 0.3 }).result;
    expect(out).toMatchObject({ ok: false, status: null });
    expect(out.error).toMatch(/timed out/);
  });

  it('fails the step on a failed check with fail_on_error (retryable)', async () => {
    await expect(run({ url: `${site.url}/down`, fail_on_error: true }).result).rejects.toMatchObject({ code: 'check_failed', retryable: true, details: { status: 503 } });
  });

  it('sends a credential to its bound host only, and never shows it', async () => {
    const { result, lines } = run({ url: `${site.url}/private`, credential_id: 'probe' });
    expect(await result).toMatchObject({ ok: true, status: 200 });
    expect(site.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    const elsewhere = run({ url: site.url.replace('127.0.0.1', 'localhost') + '/private', credential_id: 'probe' }).result;
    await expect(elsewhere).rejects.toMatchObject({ code: 'credential_host_denied' });
  });
});

describe('http_check attackers', () => {
  it('is refused by the egress guard for an internal address, as an error, not a failed check', async () => {
    const sent = site.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ url: `${site.url}/health` }, guarded).result).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    expect(site.requests).toHaveLength(sent);
  });

  it('stops a catastrophically backtracking regex on a hostile body instead of hanging the worker', async () => {
    await expect(run({ url: `${site.url}/hostile`, body_regex: '^(a+)+$' }).result).rejects.toMatchObject({ code: 'regex_timeout' });
  });

  it.each([
    [{ url: 'x', expected_status: ['20x'] }, '/expected_status/0'],
    [{ url: 'x', expected_status: [99] }, '/expected_status/0'],
    [{ url: 'x', method: 'TRACE' }, '/method'],
    [{ url: 'x', timeout_seconds: 0 }, '/timeout_seconds'],
    [{ url: 'x', extra: true }, '/extra'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(httpCheckAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('names the param of an invalid regex, an inverted range and a bad URL', async () => {
    await expect(run({ url: `${site.url}/health`, body_regex: '(' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/body_regex' } });
    await expect(run({ url: `${site.url}/health`, expected_status: ['299-200'] }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/expected_status/0' } });
    await expect(run({ url: 'file:///etc/passwd' }).result).rejects.toMatchObject({ code: 'invalid_url' });
  });

  it('plans without sending anything or showing URL credentials', () => {
    expect(httpCheckAction.plan?.(testContext({ url: 'https://user:secret@example.com/health?key=abc' }).ctx)).toBe('check GET https://example.com/health answers 2xx');
  });
});
