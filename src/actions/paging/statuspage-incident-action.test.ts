import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import type { NonRetryableError} from '../../model/errors.js';
import { RetryableError } from '../../model/errors.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { statuspageIncidentAction } from './statuspage-incident-action.js';

type Params = Parameters<typeof statuspageIncidentAction.run>[0]['params'];

const API_KEY = 'sp-api-key-0f1e2d3c4b5a6978';
const PAGE = 'kctbh9vrtdwd';

/** Statuspage REST v1: OAuth key, {incident:{...}} bodies, 201 on create, 200 on update, 420 throttling, 422 error lists. */
function statuspage(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `OAuth ${API_KEY}`) return json(res, 401, { error: 'Could not authenticate' });
  const m = /^\/v1\/pages\/([^/]+)\/incidents(?:\/([^/]+))?$/.exec(req.url);
  if (!m || m[1] !== PAGE) return json(res, 404, { error: 'Not found' });
  const incident = (JSON.parse(req.body) as { incident?: Record<string, unknown> }).incident ?? {};
  if (incident['name'] === 'too fast') return json(res, 420, { error: 'Rate limit exceeded' }, { 'retry-after': '1' });
  if (req.method === 'POST' && m[2] === undefined) {
    if (!incident['name']) return json(res, 422, { error: ["Name can't be blank"] });
    return json(res, 201, { id: 'p31zjtct2jer', name: incident['name'], status: incident['status'] ?? 'investigating', shortlink: 'http://stspg.io/p31zjtct2jer' });
  }
  if (req.method === 'PATCH' && m[2] === 'p31zjtct2jer') return json(res, 200, { id: 'p31zjtct2jer', name: 'Database down', status: incident['status'] ?? 'investigating', shortlink: 'http://stspg.io/p31zjtct2jer' });
  json(res, 404, { error: 'Not found' });
}

let sp: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  sp = await httpFixture(statuspage);
  creds = [
    { id: 'sp', type: 'statuspage', data: { api_key: API_KEY, base_url: sp.url } },
    { id: 'sp-stale', type: 'statuspage', data: { api_key: 'stale-statuspage-key', base_url: sp.url } },
  ];
});
afterAll(() => sp.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => statuspageIncidentAction.run({ ...ctx, params: nodeParams(statuspageIncidentAction, params) })) };
}
const last = () => sp.requests[sp.requests.length - 1]!;

describe('statuspage_incident', () => {
  it('creates an incident with components and their status (component_ids from components)', async () => {
    const { result, lines } = run({ credential_id: 'sp', page_id: PAGE, name: 'Database down', status: 'investigating', body: 'We are looking into it', components: { c1db: 'major_outage' } });
    const out = await result;
    expect(Value.Check(statuspageIncidentAction.output, out)).toBe(true);
    expect(out).toEqual({ incident_id: 'p31zjtct2jer', name: 'Database down', status: 'investigating', shortlink: 'http://stspg.io/p31zjtct2jer', created: true });
    expect(last()).toMatchObject({ method: 'POST', url: `/v1/pages/${PAGE}/incidents`, headers: { authorization: `OAuth ${API_KEY}`, 'content-type': 'application/json' } });
    expect(JSON.parse(last().body)).toEqual({ incident: { name: 'Database down', status: 'investigating', body: 'We are looking into it', component_ids: ['c1db'], components: { c1db: 'major_outage' } } });
    expect(JSON.stringify(lines)).not.toContain(API_KEY);
  });

  it('updates an incident with PATCH', async () => {
    const out = await run({ credential_id: 'sp', page_id: PAGE, incident_id: 'p31zjtct2jer', status: 'resolved', body: 'Fixed', components: { c1db: 'operational' }, deliver_notifications: false }).result;
    expect(out).toMatchObject({ incident_id: 'p31zjtct2jer', status: 'resolved', created: false });
    expect(last()).toMatchObject({ method: 'PATCH', url: `/v1/pages/${PAGE}/incidents/p31zjtct2jer` });
    expect(JSON.parse(last().body)).toEqual({ incident: { status: 'resolved', body: 'Fixed', component_ids: ['c1db'], components: { c1db: 'operational' }, deliver_notifications: false } });
  });

  it('fails on 401/404/422 with Statuspage’s message, never the key; retries its 420 throttling', async () => {
    const auth = (await run({ credential_id: 'sp-stale', page_id: PAGE, name: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(auth).toMatchObject({ code: 'statuspage_auth', message: 'Statuspage answered HTTP 401: Could not authenticate', retryable: false });
    expect(auth.message).not.toContain('stale-statuspage');
    await expect(run({ credential_id: 'sp', page_id: 'otherpage', name: 'x' }).result).rejects.toMatchObject({ code: 'statuspage_not_found' });
    const throttled = run({ credential_id: 'sp', page_id: PAGE, name: 'too fast' }).result;
    await expect(throttled).rejects.toBeInstanceOf(RetryableError);
    await expect(throttled).rejects.toMatchObject({ code: 'statuspage_rate_limited', retryAfterMs: 1000 });
  });

  it('refuses a create without name before sending, and sends nothing where egress is refused', async () => {
    const before = sp.requests.length;
    await expect(run({ credential_id: 'sp', page_id: PAGE }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/name' } });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'sp', page_id: PAGE, name: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(sp.requests).toHaveLength(before);
  });

  it.each([
    [{ status: 'on_fire' }, '/status'],
    [{ components: { c1db: 'broken' } }, '/components/c1db'],
    [{ components: { '../x': 'operational' } }, '/components/..~1x'],
    [{ page_id: '../../admin' }, '/page_id'],
    [{ incident_id: 'a/b?c' }, '/incident_id'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(statuspageIncidentAction.params, { credential_id: 'sp', page_id: PAGE, name: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans what it would change', () => {
    const plan = (p: Params) => statuspageIncidentAction.plan?.(testContext(p).ctx);
    expect(plan({ credential_id: 'sp', page_id: PAGE, name: 'Database down', status: 'investigating', components: { c1db: 'major_outage' } })).toBe(
      `create Statuspage incident "Database down" on page ${PAGE}; status investigating; components c1db=major_outage`,
    );
    expect(plan({ credential_id: 'sp', page_id: PAGE, incident_id: 'p31', status: 'resolved' })).toBe('update Statuspage incident p31; status resolved');
  });
});
