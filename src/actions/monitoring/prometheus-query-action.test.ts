import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { type Daemon, startPrometheus } from '../../../test/support/prom-daemons.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { prometheusQueryAction } from './prometheus-query-action.js';

type Params = Parameters<typeof prometheusQueryAction.run>[0]['params'];

// A real Prometheus on loopback scraping itself, its API behind basic auth (test/support/prom-daemons.ts).
// The bcrypt hash is the one Prometheus' web configuration docs give for the password "test".
const USER = { username: 'admin', password: 'test', bcrypt: '$2b$12$hNf2lSsxfm0.i4a.1kVpSOVyBCfIB51VRjgBUyv6kdnyTlgWj81Ay' };
let prom: Daemon;
let creds: ResolvedCredential[];

beforeAll(async () => {
  prom = await startPrometheus({ basicAuth: USER });
  creds = [
    { id: 'prom', type: 'http_basic', data: { username: USER.username, password: USER.password }, allowed_hosts: ['127.0.0.1'] },
    { id: 'wrong', type: 'http_basic', data: { username: USER.username, password: 'not-the-password' }, allowed_hosts: ['127.0.0.1'] },
  ];
}, 60_000);

afterAll(() => prom?.close());

function run(params: Omit<Params, 'base_url'> & { base_url?: string }, services = testServices()) {
  const { ctx, lines } = testContext({ base_url: prom.url, credential_id: 'prom', ...params }, creds, services);
  return { lines, result: prometheusQueryAction.run(ctx) };
}

describe('prometheus_query (real Prometheus)', () => {
  it('runs an instant query with a bound label value and reports the series', async () => {
    const out = await run({ query: 'up{job=$job}', query_params: { job: 'prometheus' }, threshold: { op: '<', value: 1 } }).result;
    expect(out).toMatchObject({ result_type: 'vector', value: 1, breached: false, warnings: [] });
    expect(out.series).toEqual([{ metric: { __name__: 'up', instance: prom.url.slice('http://'.length), job: 'prometheus' }, value: 1 }]);
    expect(Value.Check(prometheusQueryAction.output, out)).toBe(true);
  });

  it('says breached when a series crosses the threshold', async () => {
    expect(await run({ query: 'up', threshold: { op: '>=', value: 1 } }).result).toMatchObject({ breached: true });
  });

  it('runs a range query over /api/v1/query_range', async () => {
    const now = Math.floor(Date.now() / 1000);
    // The end a little ahead: Prometheus evaluates it with its 5-minute lookback, so the newest sample counts.
    const out = await run({ query: 'up', range: { start: String(now - 30), end: String(now + 2), step: '1s' } }).result;
    expect(out.result_type).toBe('matrix');
    const values = out.series[0]!.values!;
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((s) => s.value === 1 && s.time >= now - 30 && s.time <= now + 2)).toBe(true);
    expect(out.value).toBe(1);
  });

  it('returns a scalar', async () => {
    expect(await run({ query: '2 * 21' }).result).toMatchObject({ result_type: 'scalar', value: 42, series: [{ metric: {}, value: 42 }] });
  });

  it('fails with Prometheus’ own message on a bad query (not retryable)', async () => {
    const err: unknown = await run({ query: 'up{' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code: 'prometheus_invalid', details: { status: 400 } });
    expect((err as Error).message).toMatch(/^Prometheus answered HTTP 400: invalid parameter "query": .*parse error/);
  });

  it('fails on wrong credentials without showing them', async () => {
    const err: unknown = await run({ query: 'up', credential_id: 'wrong' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'prometheus_auth', retryable: false });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as NonRetryableError).details })).not.toContain('not-the-password');
  });
});

describe('prometheus_query answers a real Prometheus gives under load (wire-checking server)', () => {
  it('retries 503 after its Retry-After and 429, sends the form the API documents', async () => {
    const busy = await httpFixture((req, res) => {
      if (req.url === '/prefix/api/v1/query' && req.body.includes('slow')) return json(res, 503, { status: 'error', errorType: 'timeout', error: 'query timed out in query execution' }, { 'retry-after': '12' });
      return json(res, 429, { status: 'error', errorType: 'unavailable', error: 'too many requests' });
    });
    try {
      const err: unknown = await run({ base_url: `${busy.url}/prefix/`, credential_id: undefined, query: 'slow_query', time: '2026-12-01T00:00:00Z', timeout_seconds: 7 }).result.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect(err).toMatchObject({ code: 'prometheus_unavailable', retryAfterMs: 12_000, message: 'Prometheus answered HTTP 503: query timed out in query execution' });
      const sent = busy.requests[0]!;
      expect(sent).toMatchObject({ method: 'POST', url: '/prefix/api/v1/query', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ query: 'slow_query', time: '2026-12-01T00:00:00Z', timeout: '7s' });
      await expect(run({ base_url: busy.url, credential_id: undefined, query: 'up' }).result).rejects.toMatchObject({ code: 'prometheus_rate_limited', retryable: true });
    } finally {
      await busy.close();
    }
  });
});

describe('prometheus_query attackers', () => {
  it('keeps a hostile bound value one string: it cannot add selectors or expressions', async () => {
    const out = await run({ query: 'up{job=$job}', query_params: { job: 'x"} or vector(1) or up{job="' } }).result;
    expect(out).toMatchObject({ result_type: 'vector', series: [], value: null });
  });

  it('declares the query as code, so a template there fails validation', () => {
    expect(prometheusQueryAction.codeParams).toHaveProperty('query');
  });

  it('refuses a placeholder query_params does not give, naming the field', async () => {
    await expect(run({ query: 'up{job=$job}', query_params: { other: 'x' } }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/query_params' } });
  });

  it('is refused by the egress guard for an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ query: 'up' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it('refuses to send the credential to another host', async () => {
    await expect(run({ base_url: prom.url.replace('127.0.0.1', 'localhost'), query: 'up' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ base_url: 'ftp://x', query: 'up' }, '/base_url'],
    [{ base_url: 'http://x', query: '' }, '/query'],
    [{ base_url: 'http://x', query: 'up', threshold: { op: '=~', value: 1 } }, '/threshold/op'],
    [{ base_url: 'http://x', query: 'up', range: { start: 'yesterday', end: '1', step: '1s' } }, '/range/start'],
    [{ base_url: 'http://x', query: 'up', query_params: { 'bad-name': 'x' } }, '/query_params'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(prometheusQueryAction.params, params)].map((e) => e.path.startsWith(path))).toContain(true);
  });

  it('plans without querying or showing URL credentials', () => {
    expect(prometheusQueryAction.plan?.(testContext<Params>({ base_url: 'http://u:p@prom:9090', query: 'up == 0', threshold: { op: '>', value: 0 } }).ctx)).toBe(
      'query Prometheus at POST http://prom:9090/api/v1/query: up == 0 (breach when > 0)',
    );
  });
});
