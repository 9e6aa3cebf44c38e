import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import type { Incident } from '../../incidents/incident-types.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { forwardResolve, forwardTrigger } from './provider-forwarding.js';
import { LOOPBACK } from '../../../test/support/loopback-egress.js';

const GENIE_KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';
const SN_TOKEN = 'servicenow-oauth-token-Zm9vYmFy';
const io = { signal: new AbortController().signal, egress: LOOPBACK };

const incident: Incident = {
  id: 'inc_1kdvdna00r8thpcx',
  number: 7,
  key: 'INC-7',
  title: 'Checkout down',
  description: '502 from the load balancer',
  severity: 'critical',
  status: 'triggered',
  service: 'shop',
  assignee: null,
  escalation_policy_id: null,
  escalation_level: 0,
  escalation_round: 0,
  external_refs: {},
  created_at: 0,
  updated_at: 0,
  acknowledged_at: null,
  resolved_at: null,
};

/** Opsgenie Alert API: GenieKey auth, asynchronous 202 answers, 422 for a missing message. */
function opsgenie(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `GenieKey ${GENIE_KEY}`) return json(res, 401, { message: 'Could not authenticate', took: 0, requestId: 'r0' });
  const body = JSON.parse(req.body) as { message?: string; responders?: Array<{ id?: string; name?: string; username?: string }> };
  // https://docs.opsgenie.com/docs/response: 422 "Request body is not processable. Please check the errors." with per-field `errors`.
  const errors: Record<string, string> = {};
  if (req.url === '/v2/alerts' && !body.message) errors['message'] = 'Message can not be empty.';
  if (body.responders?.some((r) => !r.id && !r.name && !r.username)) errors['responders'] = 'Responder should have id, name or username.';
  if (Object.keys(errors).length > 0) return json(res, 422, { message: 'Request body is not processable. Please check the errors.', errors, took: 0, requestId: 'r1' });
  json(res, 202, { result: 'Request will be processed', took: 0.01, requestId: 'req-42' });
}

/** ServiceNow Table API: insert and update of incident, bearer auth. */
function serviceNow(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${SN_TOKEN}`) return json(res, 401, { error: { message: 'User Not Authenticated', detail: '' }, status: 'failure' });
  if (req.method === 'POST') return json(res, 201, { result: { sys_id: 'a1b2c3', number: 'INC0010042', state: '1' } });
  if (req.method === 'PATCH' && req.url === '/api/now/table/incident/a1b2c3') return json(res, 200, { result: { sys_id: 'a1b2c3', state: '6' } });
  json(res, 404, { error: { message: 'No Record found', detail: 'Record doesn\'t exist or ACL restricts the record retrieval' }, status: 'failure' });
}

describe('provider forwarding', () => {
  let og: Awaited<ReturnType<typeof httpFixture>>;
  let sn: Awaited<ReturnType<typeof httpFixture>>;
  let ogCred: ResolvedCredential;
  let snCred: ResolvedCredential;

  beforeAll(async () => {
    og = await httpFixture(opsgenie);
    sn = await httpFixture(serviceNow);
    ogCred = { id: 'cred_og', type: 'opsgenie', data: { api_key: GENIE_KEY, base_url: og.url } };
    snCred = { id: 'cred_sn', type: 'servicenow', data: { base_url: sn.url, bearer_token: SN_TOKEN } };
  });

  afterAll(async () => {
    await og.close();
    await sn.close();
  });

  it('opens and closes an Opsgenie alert by alias with GenieKey auth', async () => {
    const ref = await forwardTrigger(ogCred, incident, 'disk-db-1', io);
    expect(ref).toEqual({ provider: 'opsgenie', id: 'disk-db-1', credential_id: 'cred_og' });
    expect(og.requests[0]).toMatchObject({ method: 'POST', url: '/v2/alerts' });
    expect(JSON.parse(og.requests[0]!.body)).toEqual({
      message: '[INC-7] Checkout down',
      alias: 'disk-db-1',
      description: '502 from the load balancer',
      priority: 'P1',
      tags: ['shop'],
      details: { incident_id: incident.id, incident: 'INC-7', service: 'shop' },
      source: 'iTechSmart Workflow',
    });

    await forwardResolve(ogCred, ref, 'fixed', io);
    expect(og.requests[1]).toMatchObject({ method: 'POST', url: '/v2/alerts/disk-db-1/close?identifierType=alias' });
    expect(JSON.parse(og.requests[1]!.body)).toEqual({ source: 'iTechSmart Workflow', note: 'fixed' });
  });

  it('sends Opsgenie responders and keeps a 422\'s field errors in the step error', async () => {
    // https://docs.opsgenie.com/docs/alert-api#create-alert: `responders` [{id|name, type: team}, {username, type: user}...].
    og.requests.length = 0;
    const responders = [{ type: 'team' as const, name: 'NOC' }, { type: 'user' as const, username: 'trinity@opsgenie.com' }];
    await forwardTrigger(ogCred, incident, 'resp-1', io, { responders });
    expect(JSON.parse(og.requests[0]!.body)).toMatchObject({ alias: 'resp-1', responders });
    const refused = forwardTrigger(ogCred, incident, 'resp-2', io, { responders: [{ type: 'team' }] });
    await expect(refused).rejects.toMatchObject({ code: 'opsgenie_invalid', retryable: false });
    await expect(refused).rejects.toThrow(/responders: Responder should have id, name or username/);
  });

  it('fails on a rejected Opsgenie key without retrying or showing it', async () => {
    const bad = { ...ogCred, data: { ...ogCred.data, api_key: 'not-the-key-0000' } };
    const failed = forwardTrigger(bad, incident, 'k', io);
    await expect(failed).rejects.toMatchObject({ code: 'opsgenie_auth', retryable: false });
    await expect(failed).rejects.not.toThrow(/not-the-key-0000/);
  });

  it('opens a ServiceNow incident and resolves it by sys_id', async () => {
    const ref = await forwardTrigger(snCred, incident, 'ignored', io);
    expect(ref).toEqual({ provider: 'servicenow', id: 'a1b2c3', key: 'INC0010042', url: `${sn.url}/incident.do?sys_id=a1b2c3`, credential_id: 'cred_sn' });
    expect(JSON.parse(sn.requests[0]!.body)).toEqual({ short_description: '[INC-7] Checkout down', description: '502 from the load balancer', urgency: '1', impact: '1' });

    await forwardResolve(snCred, ref, 'restarted LB', io);
    expect(sn.requests[1]).toMatchObject({ method: 'PATCH', url: '/api/now/table/incident/a1b2c3' });
    expect(JSON.parse(sn.requests[1]!.body)).toEqual({ state: '6', close_code: 'Solution provided', close_notes: 'restarted LB' });

    await expect(forwardResolve(snCred, { ...ref, id: 'gone' }, 'x', io)).rejects.toMatchObject({ code: 'servicenow_not_found', retryable: false });
  });

  it('refuses a credential of another type', async () => {
    await expect(forwardTrigger({ id: 'c', type: 'slack', data: {} }, incident, 'k', io)).rejects.toMatchObject({ code: 'credential_type' });
  });
});
