import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { opsgenieAlertAction } from './opsgenie-alert-action.js';

type Params = Parameters<typeof opsgenieAlertAction.run>[0]['params'];

const API_KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';

/** Alert API: GenieKey auth, 202 {result, took, requestId}; 422 with per-field errors; 429 when throttled. */
function alerts(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `GenieKey ${API_KEY}`) return json(res, 401, { message: 'Key format is not valid!', took: 0.001, requestId: 'rq-401' });
  if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') return json(res, 415, { message: 'Unsupported media type' });
  const body = JSON.parse(req.body) as Record<string, unknown>;
  if (req.url === '/v2/alerts') {
    if (body['message'] === 'slow down') return json(res, 429, { message: 'Too many requests' }, { 'retry-after': '12' });
    if (JSON.stringify(body['responders'] ?? []).includes('ghost-team')) return json(res, 422, { message: 'Request body is not processable. Please check the errors.', errors: { responders: 'Team [ghost-team] does not exist' } });
    return json(res, 202, { result: 'Request will be processed', took: 0.302, requestId: 'rq-create-1' });
  }
  const close = /^\/v2\/alerts\/([^/?]+)\/(close|acknowledge)\?identifierType=alias$/.exec(req.url);
  if (close) return json(res, 202, { result: 'Request will be processed', took: 0.1, requestId: `rq-${close[2]}-${decodeURIComponent(close[1]!)}` });
  json(res, 404, { message: 'Not found' });
}

let og: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  og = await httpFixture(alerts);
  creds = [
    { id: 'og', type: 'opsgenie', data: { api_key: API_KEY, base_url: og.url } },
    { id: 'og-stale', type: 'opsgenie', data: { api_key: 'stale-genie-key-000000', base_url: og.url } },
    { id: 'pd', type: 'pagerduty', data: { routing_key: 'x'.repeat(32) } },
  ];
});
afterAll(() => og.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => opsgenieAlertAction.run({ ...ctx, params: nodeParams(opsgenieAlertAction, params) })) };
}
const last = () => og.requests[og.requests.length - 1]!;

describe('opsgenie_alert', () => {
  it('creates an alert with alias, priority, tags, details and responders', async () => {
    const { result, lines } = run({
      credential_id: 'og',
      alias: 'db1-down',
      message: 'db1 is not answering',
      description: 'since 02:14',
      priority: 'P1',
      tags: ['db', 'prod'],
      details: { runbook: 'https://runbooks.example.com/db1' },
      entity: 'db1',
      responders: [{ type: 'team', name: 'dba' }, { type: 'user', username: 'alice@example.com' }],
    });
    const out = await result;
    expect(Value.Check(opsgenieAlertAction.output, out)).toBe(true);
    expect(out).toEqual({ request_id: 'rq-create-1', alias: 'db1-down' });
    expect(last()).toMatchObject({ method: 'POST', url: '/v2/alerts', headers: { authorization: `GenieKey ${API_KEY}` } });
    expect(JSON.parse(last().body)).toEqual({
      message: 'db1 is not answering', alias: 'db1-down', description: 'since 02:14', priority: 'P1', tags: ['db', 'prod'],
      details: { runbook: 'https://runbooks.example.com/db1' }, entity: 'db1',
      responders: [{ type: 'team', name: 'dba' }, { type: 'user', username: 'alice@example.com' }], source: 'iTechSmart Workflow',
    });
    expect(JSON.stringify(lines)).not.toContain(API_KEY);
  });

  it('closes and acknowledges by alias (identifierType=alias), with a note', async () => {
    await expect(run({ credential_id: 'og', operation: 'close', alias: 'db1/down', note: 'fixed' }).result).resolves.toEqual({ request_id: 'rq-close-db1/down', alias: 'db1/down' });
    expect(last().url).toBe('/v2/alerts/db1%2Fdown/close?identifierType=alias');
    expect(JSON.parse(last().body)).toEqual({ source: 'iTechSmart Workflow', note: 'fixed' });
    await expect(run({ credential_id: 'og', operation: 'acknowledge', alias: 'db1-down' }).result).resolves.toMatchObject({ request_id: 'rq-acknowledge-db1-down' });
  });

  it('fails on 401 and 422 with Opsgenie’s words, never the key; retries 429 after Retry-After', async () => {
    const auth = (await run({ credential_id: 'og-stale', message: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(auth).toMatchObject({ code: 'opsgenie_auth', message: 'Opsgenie answered HTTP 401: Key format is not valid!' });
    expect(auth.message).not.toContain('stale-genie');
    const invalid = run({ credential_id: 'og', message: 'x', responders: [{ type: 'team', name: 'ghost-team' }] }).result;
    await expect(invalid).rejects.toBeInstanceOf(NonRetryableError);
    await expect(invalid).rejects.toMatchObject({ code: 'opsgenie_invalid', message: 'Opsgenie answered HTTP 422: Request body is not processable. Please check the errors. responders: Team [ghost-team] does not exist' });
    const busy = run({ credential_id: 'og', message: 'slow down' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'opsgenie_rate_limited', retryAfterMs: 12_000 });
  });

  it('sends nothing where the egress policy refuses, and refuses a credential of another type', async () => {
    const before = og.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'og', message: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'pd', message: 'x' }).result).rejects.toMatchObject({ code: 'credential_type' });
    expect(og.requests).toHaveLength(before);
  });

  it.each([
    [{ credential_id: 'og' }, '/message'],
    [{ credential_id: 'og', operation: 'close' }, '/alias'],
    [{ credential_id: 'og', message: 'x', responders: [{ type: 'team' }] }, '/responders/0'],
  ] as const)('refuses %j before sending, naming %s', async (params, path) => {
    await expect(run(params as Params).result).rejects.toMatchObject({ code: 'invalid_params', details: { path } });
  });

  it.each([
    [{ message: 'x'.repeat(131) }, '/message'],
    [{ priority: 'urgent' }, '/priority'],
    [{ responders: [{ type: 'group', id: '1' }] }, '/responders/0/type'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(opsgenieAlertAction.params, { credential_id: 'og', message: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the key', () => {
    const plan = (p: Params) => opsgenieAlertAction.plan?.(testContext(p).ctx);
    expect(plan({ credential_id: 'og', message: 'db1 down', priority: 'P1', responders: [{ type: 'team', name: 'dba' }] })).toBe('create a P1 Opsgenie alert for team dba: "db1 down"');
    expect(plan({ credential_id: 'og', operation: 'close', alias: 'db1-down' })).toBe('close the Opsgenie alert db1-down');
  });
});
