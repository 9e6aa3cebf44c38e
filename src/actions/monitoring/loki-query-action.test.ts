import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { lokiQueryAction } from './loki-query-action.js';

type Params = Parameters<typeof lokiQueryAction.run>[0]['params'];

const PASSWORD = 'loki-gateway-password-42';
const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;

const STREAMS = [
  { stream: { app: 'api', level: 'error' }, values: [['1764928800000000002', 'db timeout'], ['1764928800000000000', 'upstream reset']] },
  { stream: { app: 'api', level: 'warn' }, values: [['1764928800000000001', 'slow query 2.1s']] },
];

/**
 * Loki's query_range as documented (https://grafana.com/docs/loki/latest/reference/loki-http-api/):
 * GET /loki/api/v1/query_range?query&start&end&since&limit&direction, X-Scope-OrgID for the tenant;
 * 200 {status:"success", data:{resultType:"streams", result:[{stream, values:[[ns, line]]}]}};
 * errors are plain text (400 parse errors, 401 "no org id", 429 limits).
 */
function loki(req: Recorded, res: ServerResponse): void {
  const url = new URL(req.url, 'http://loki');
  const text = (status: number, body: string) => void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  if (req.method !== 'GET' || url.pathname !== '/loki/api/v1/query_range') return text(404, '404 page not found');
  if (req.headers.authorization !== BASIC) return text(401, 'Unauthorized');
  if (!req.headers['x-scope-orgid']) return text(401, 'no org id');
  const query = url.searchParams.get('query') ?? '';
  if (query.startsWith('count_over_time')) return json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
  if (!query.startsWith('{')) return text(400, 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER');
  if (query.includes('busy')) return void res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '4' }).end('too many outstanding requests');
  if (query.startsWith('{app="down"}')) return text(502, 'bad gateway');
  if (query.startsWith('{app="api"}')) return json(res, 200, { status: 'success', data: { resultType: 'streams', result: STREAMS, stats: {} } });
  json(res, 200, { status: 'success', data: { resultType: 'streams', result: [] } });
}

let server: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  server = await httpFixture(loki);
  creds = [{ id: 'gw', type: 'http_basic', data: { username: 'ops', password: PASSWORD }, allowed_hosts: ['127.0.0.1'] }];
});

afterAll(() => server.close());

function run(params: Omit<Params, 'base_url'> & { base_url?: string }, services = testServices()) {
  const { ctx, lines } = testContext({ base_url: server.url, credential_id: 'gw', tenant: 'team-a', ...params }, creds, services);
  return { lines, result: lokiQueryAction.run(ctx) };
}

function lastQuery(): Record<string, string> {
  return Object.fromEntries(new URL(server.requests.at(-1)!.url, 'http://loki').searchParams);
}

describe('loki_query (server checking Loki’s query_range API)', () => {
  it('fetches lines of every stream, newest first, with labels and timestamps', async () => {
    const { result, lines } = run({ query: '{app="api"} |= $text', query_params: { text: 'e' }, start: '2025-12-05T10:00:00Z', end: '2025-12-05T11:00:00Z', limit: 50 });
    const out = await result;
    expect(out.count).toBe(3);
    expect(out.lines.map((l) => [l.timestamp_ns, l.labels['level'], l.line])).toEqual([
      ['1764928800000000002', 'error', 'db timeout'],
      ['1764928800000000001', 'warn', 'slow query 2.1s'],
      ['1764928800000000000', 'error', 'upstream reset'],
    ]);
    expect(out.lines[0]!.timestamp).toBe('2025-12-05T10:00:00.000000002Z');
    expect(Value.Check(lokiQueryAction.output, out)).toBe(true);
    expect(server.requests.at(-1)!.headers).toMatchObject({ authorization: BASIC, 'x-scope-orgid': 'team-a' });
    expect(lastQuery()).toEqual({ query: '{app="api"} |= "e"', start: '2025-12-05T10:00:00Z', end: '2025-12-05T11:00:00Z', limit: '50', direction: 'backward' });
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
  });

  it('orders oldest first with direction forward, and asks for the last hour by default', async () => {
    const out = await run({ query: '{app="api"}', direction: 'forward' }).result;
    expect(out.lines.map((l) => l.line)).toEqual(['upstream reset', 'slow query 2.1s', 'db timeout']);
    expect(lastQuery()).toEqual({ query: '{app="api"}', since: '1h', limit: '100', direction: 'forward' });
  });

  it('returns no lines when nothing matched', async () => {
    expect(await run({ query: '{app="quiet"}' }).result).toEqual({ lines: [], count: 0 });
  });

  it.each([
    [{ query: 'app=api' }, 'loki_invalid', false, 'Loki answered HTTP 400: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER'],
    [{ tenant: undefined }, 'loki_auth', false, 'Loki answered HTTP 401: no org id'],
    [{ query: '{app="busy"}' }, 'loki_rate_limited', true, 'Loki answered HTTP 429: too many outstanding requests'],
    [{ query: '{app="down"}' }, 'loki_unavailable', true, 'Loki answered HTTP 502: bad gateway'],
  ])('maps %j to %s', async (extra, code, retryable, message) => {
    const err: unknown = await run({ query: '{app="api"}', ...extra }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(retryable ? RetryableError : NonRetryableError);
    expect(err).toMatchObject({ code, message });
  });

  it('says a metric query is not a log query, naming the field', async () => {
    await expect(run({ query: 'count_over_time({app="api"}[5m])' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/query' } });
  });
});

describe('loki_query attackers', () => {
  it('keeps a hostile bound value one string: it cannot widen the selector', async () => {
    await run({ query: '{app="api"} |= $text', query_params: { text: '" or {app=~".+' } }).result;
    expect(lastQuery()['query']).toBe('{app="api"} |= "\\" or {app=~\\".+"');
  });

  it('declares the query as code', () => {
    expect(lokiQueryAction.codeParams).toHaveProperty('query');
  });

  it('is refused by the egress guard for an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    const sent = server.requests.length;
    await expect(run({ query: '{app="api"}' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(server.requests).toHaveLength(sent);
  });

  it('keeps the credential on its bound host', async () => {
    await expect(run({ base_url: server.url.replace('127.0.0.1', 'localhost'), query: '{app="api"}' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ tenant: 'team a\r\nX-Evil: 1' }, '/tenant'],
    [{ limit: 0 }, '/limit'],
    [{ direction: 'sideways' }, '/direction'],
    [{ since: '1 hour' }, '/since'],
    [{ start: 'yesterday' }, '/start'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(lokiQueryAction.params, { base_url: 'http://loki:3100', query: '{a="b"}', ...params })].map((e) => e.path)).toContain(path);
  });

  it('plans without querying', () => {
    expect(lokiQueryAction.plan?.(testContext({ base_url: 'http://loki:3100/', query: '{app="api"}', tenant: 'ops' }).ctx)).toBe('fetch up to 100 log lines from GET http://loki:3100/loki/api/v1/query_range (tenant ops): {app="api"}');
  });
});
