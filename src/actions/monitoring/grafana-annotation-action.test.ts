import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { grafanaAnnotationAction } from './grafana-annotation-action.js';

type Params = Parameters<typeof grafanaAnnotationAction.run>[0]['params'];

const TOKEN = 'glsa_abcdefghijklmnopqrstuvwxyz012345_0a1b2c3d';
let nextId = 41;

/**
 * Grafana's HTTP API as documented (https://grafana.com/docs/grafana/latest/developers/http_api/annotations/):
 * POST /api/annotations with a bearer service-account token and {dashboardUID?, panelId?, time, timeEnd?, tags, text}
 * → 200 {"message":"Annotation added","id":N}; errors as {"message": ...}.
 */
function grafana(req: Recorded, res: ServerResponse): void {
  if (req.url === '/busy/api/annotations') return json(res, 429, { message: 'Too many requests' }, { 'retry-after': '9' });
  if (req.url !== '/api/annotations' || req.method !== 'POST') return json(res, 404, { message: 'Not found' });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { message: 'invalid API key' });
  if (!req.headers['content-type']?.startsWith('application/json')) return json(res, 415, { message: 'bad content type' });
  const body = JSON.parse(req.body) as Record<string, unknown>;
  if (typeof body['text'] !== 'string' || typeof body['time'] !== 'number') return json(res, 400, { message: 'bad request data' });
  if (body['dashboardUID'] === 'gone') return json(res, 404, { message: 'Dashboard not found' });
  if (body['dashboardUID'] === 'readonly') return json(res, 403, { message: 'You\u2019ll need additional permissions to perform this action. Permissions needed: annotations:create' });
  if (body['text'] === 'boom') return json(res, 500, { message: 'Failed to save annotation' });
  json(res, 200, { message: 'Annotation added', id: nextId++ });
}

let server: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  server = await httpFixture(grafana);
  creds = [
    { id: 'grafana', type: 'grafana', data: { base_url: `${server.url}/`, token: TOKEN } },
    { id: 'busy', type: 'grafana', data: { base_url: `${server.url}/busy`, token: TOKEN } },
    { id: 'revoked', type: 'grafana', data: { base_url: server.url, token: 'glsa_revoked_token_000000' } },
    { id: 'bearer', type: 'http_bearer', data: { token: TOKEN } },
  ];
});

afterAll(() => server.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: grafanaAnnotationAction.run(ctx) };
}

describe('grafana_annotation (server checking Grafana’s annotations API)', () => {
  it('posts a region annotation on a dashboard panel with tags and returns its id', async () => {
    const { result, lines } = run({ credential_id: 'grafana', text: 'Deployed api v2.3.1', tags: ['deploy', 'api'], dashboard_uid: 'svc-api', panel_id: 4, time: '2026-12-05T10:00:00Z', time_end: '2026-12-05T10:05:00.500Z' });
    const out = await result;
    expect(out).toEqual({ id: expect.any(Number), time: Date.parse('2026-12-05T10:00:00Z'), time_end: Date.parse('2026-12-05T10:05:00.500Z') });
    expect(Value.Check(grafanaAnnotationAction.output, out)).toBe(true);
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/api/annotations', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    expect(JSON.parse(req.body)).toEqual({ dashboardUID: 'svc-api', panelId: 4, time: Date.parse('2026-12-05T10:00:00Z'), timeEnd: Date.parse('2026-12-05T10:05:00.500Z'), tags: ['deploy', 'api'], text: 'Deployed api v2.3.1' });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('posts an organization-wide event at now without optional fields', async () => {
    const before = Date.now();
    const out = await run({ credential_id: 'grafana', text: 'Incident INC-7 opened' }).result;
    expect(out.time).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ time: out.time, tags: [], text: 'Incident INC-7 opened' });
  });

  it.each([
    [{ dashboard_uid: 'gone' }, 'grafana_not_found', false, 'Grafana answered HTTP 404: Dashboard not found'],
    [{ dashboard_uid: 'readonly' }, 'grafana_auth', false, 'Grafana answered HTTP 403: You\u2019ll need additional permissions to perform this action. Permissions needed: annotations:create'],
    [{ text: 'boom' }, 'grafana_unavailable', true, 'Grafana answered HTTP 500: Failed to save annotation'],
  ])('maps %j to %s', async (extra, code, retryable, message) => {
    const err: unknown = await run({ credential_id: 'grafana', text: 'x', ...extra }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(retryable ? RetryableError : NonRetryableError);
    expect(err).toMatchObject({ code, message });
  });

  it('retries 429 after Retry-After, and fails on a revoked token without naming it', async () => {
    await expect(run({ credential_id: 'busy', text: 'x' }).result).rejects.toMatchObject({ code: 'grafana_rate_limited', retryAfterMs: 9000 });
    const err: unknown = await run({ credential_id: 'revoked', text: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'grafana_auth', message: 'Grafana answered HTTP 401: invalid API key' });
    expect(JSON.stringify(err)).not.toContain('glsa_revoked');
  });
});

describe('grafana_annotation attackers', () => {
  it('is refused by the egress guard for an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    const sent = server.requests.length;
    await expect(run({ credential_id: 'grafana', text: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(server.requests).toHaveLength(sent);
  });

  it('takes only a grafana credential, and sends it only to its base URL’s host', async () => {
    await expect(run({ credential_id: 'bearer', text: 'x' }).result).rejects.toMatchObject({ code: 'credential_type' });
    const bound = { id: 'bound', type: 'grafana', data: { base_url: server.url, token: TOKEN }, allowed_hosts: ['grafana.example.com'] };
    const { ctx } = testContext({ credential_id: 'bound', text: 'x' }, [bound]);
    await expect(grafanaAnnotationAction.run(ctx)).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ panel_id: 3 }, '/dashboard_uid'],
    [{ time: '2026-12-05T10:00:00Z', time_end: '2026-12-05T09:00:00Z' }, '/time_end'],
  ])('refuses %j before sending, naming %s', async (extra, path) => {
    await expect(run({ credential_id: 'grafana', text: 'x', ...extra }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path } });
  });

  it.each([
    [{ text: '' }, '/text'],
    [{ text: 'x', dashboard_uid: '../admin' }, '/dashboard_uid'],
    [{ text: 'x', panel_id: 0 }, '/panel_id'],
    [{ text: 'x', time: 'yesterday' }, '/time'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(grafanaAnnotationAction.params, { credential_id: 'grafana', ...params })].map((e) => e.path)).toContain(path);
  });

  it('plans without sending', () => {
    expect(grafanaAnnotationAction.plan?.(testContext({ credential_id: 'g', text: 'Deployed', dashboard_uid: 'svc', tags: ['deploy'] }).ctx)).toBe('annotate dashboard svc in Grafana: "Deployed" [deploy]');
  });
});
