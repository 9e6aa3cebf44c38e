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
import { pagerDutyEventAction } from './pagerduty-event-action.js';

type Params = Parameters<typeof pagerDutyEventAction.run>[0]['params'];

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefabcdef';
const BUSY_KEY = 'R0UT1NGKEYbusybusybusybusybusy00';
const DOWN_KEY = 'R0UT1NGKEYdowndowndowndowndown00';

/** Events API v2 as documented: 202 on success, 400 "invalid event" naming the problems, 429 when throttled. */
function enqueue(req: Recorded, res: ServerResponse): void {
  if (req.method !== 'POST' || req.url !== '/v2/enqueue') return json(res, 404, { message: 'Not found' });
  const event = JSON.parse(req.body) as Record<string, unknown> & { payload?: Record<string, unknown> };
  if (event['routing_key'] === BUSY_KEY) return json(res, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }, { 'retry-after': '45' });
  if (event['routing_key'] === DOWN_KEY) return json(res, 503, { status: 'error', message: 'Service unavailable' });
  const errors: string[] = [];
  if (event['routing_key'] !== ROUTING_KEY) errors.push("'routing_key' is invalid");
  if (!['trigger', 'acknowledge', 'resolve'].includes(String(event['event_action']))) errors.push("'event_action' is invalid");
  if (event['event_action'] === 'trigger') {
    for (const f of ['summary', 'source', 'severity']) if (!event.payload?.[f]) errors.push(`'payload.${f}' is missing or blank`);
  } else if (!event['dedup_key']) errors.push("'dedup_key' is missing or blank");
  if (errors.length > 0) return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
  json(res, 202, { status: 'success', message: 'Event processed', dedup_key: event['dedup_key'] ?? 'srv01-generated-key' });
}

let pd: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  pd = await httpFixture(enqueue);
  const cred = (id: string, key: string): ResolvedCredential => ({ id, type: 'pagerduty', data: { routing_key: key, base_url: pd.url } });
  creds = [cred('pd', ROUTING_KEY), cred('pd-stale', 'R0UT1NGKEYstalestalestalestale00'), cred('pd-busy', BUSY_KEY), cred('pd-down', DOWN_KEY)];
});
afterAll(() => pd.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => pagerDutyEventAction.run({ ...ctx, params: nodeParams(pagerDutyEventAction, params) })) };
}

const sent = () => JSON.parse(pd.requests[pd.requests.length - 1]!.body) as Record<string, unknown>;
const TRIGGER: Params = { credential_id: 'pd', summary: 'db1 is not answering', source: 'db1.prod', severity: 'critical' };

describe('pagerduty_event', () => {
  it('triggers with the full payload, links and images, and returns the dedup_key', async () => {
    const { result, lines } = run({
      ...TRIGGER,
      dedup_key: 'db1-down',
      timestamp: '2026-12-05T10:00:00Z',
      component: 'postgres',
      group: 'prod-db',
      class: 'ping failure',
      custom_details: { free_disk: '2%' },
      links: [{ href: 'https://runbooks.example.com/db1', text: 'Runbook' }],
      images: [{ src: 'https://graphs.example.com/db1.png', alt: 'load' }],
    });
    const out = await result;
    expect(Value.Check(pagerDutyEventAction.output, out)).toBe(true);
    expect(out).toEqual({ status: 'success', dedup_key: 'db1-down' });
    expect(pd.requests.at(-1)).toMatchObject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' } });
    expect(sent()).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'db1-down',
      payload: {
        summary: 'db1 is not answering', source: 'db1.prod', severity: 'critical', timestamp: '2026-12-05T10:00:00Z',
        component: 'postgres', group: 'prod-db', class: 'ping failure', custom_details: { free_disk: '2%' },
      },
      links: [{ href: 'https://runbooks.example.com/db1', text: 'Runbook' }],
      images: [{ src: 'https://graphs.example.com/db1.png', alt: 'load' }],
      client: 'iTechSmart Workflow',
    });
    expect(JSON.stringify(lines)).not.toContain(ROUTING_KEY);
  });

  it('returns the key PagerDuty made for a trigger without one, then resolves with it', async () => {
    const { dedup_key } = await run(TRIGGER).result;
    expect(dedup_key).toBe('srv01-generated-key');
    await expect(run({ credential_id: 'pd', event_action: 'resolve', dedup_key }).result).resolves.toEqual({ status: 'success', dedup_key });
    expect(sent()).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key, client: 'iTechSmart Workflow' });
  });

  it('fails on 400 with PagerDuty’s reasons, never naming the routing key', async () => {
    const err = (await run({ ...TRIGGER, credential_id: 'pd-stale' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code: 'pagerduty_invalid', message: "PagerDuty answered HTTP 400: Event object is invalid: 'routing_key' is invalid" });
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('stale');
  });

  it('retries 429 after PagerDuty’s Retry-After, and 5xx', async () => {
    const busy = run({ ...TRIGGER, credential_id: 'pd-busy' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'pagerduty_rate_limited', retryAfterMs: 45_000 });
    await expect(run({ ...TRIGGER, credential_id: 'pd-down' }).result).rejects.toMatchObject({ code: 'pagerduty_unavailable', retryable: true });
  });

  it('sends nothing to a host the egress policy refuses', async () => {
    const before = pd.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run(TRIGGER, guarded).result).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    expect(pd.requests).toHaveLength(before);
  });

  it.each([
    [{ event_action: 'acknowledge' }, '/dedup_key'],
    [{ summary: undefined }, '/summary'],
    [{ severity: undefined }, '/severity'],
  ] as const)('refuses %j before sending, naming %s', async (change, path) => {
    const before = pd.requests.length;
    await expect(run({ ...TRIGGER, ...change }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path } });
    expect(pd.requests).toHaveLength(before);
  });

  it('schema takes an ISO timestamp (the action node checks params before run)', () => {
    expect([...Value.Errors(pagerDutyEventAction.params, { ...TRIGGER, timestamp: '2026-12-05T10:00:00.123+01:00' })]).toEqual([]);
  });

  it.each([
    [{ timestamp: 'yesterday' }, '/timestamp'],
    [{ severity: 'fatal' }, '/severity'],
    [{ event_action: 'snooze' }, '/event_action'],
    [{ links: [{ href: 'javascript:alert(1)' }] }, '/links/0/href'],
    [{ routing_key: 'inline' }, '/routing_key'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(pagerDutyEventAction.params, { ...TRIGGER, ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the routing key', () => {
    const plan = (p: Params) => pagerDutyEventAction.plan?.(testContext(p).ctx);
    expect(plan({ ...TRIGGER, dedup_key: 'db1-down' })).toBe('trigger a critical PagerDuty alert from db1.prod (dedup_key db1-down): "db1 is not answering"');
    expect(plan({ credential_id: 'pd', event_action: 'acknowledge', dedup_key: 'db1-down' })).toBe('acknowledge the PagerDuty alert db1-down');
  });
});
