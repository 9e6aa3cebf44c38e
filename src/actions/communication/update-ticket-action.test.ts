import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, gitHubFake } from '../../../test/support/github-fake.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import { JIRA_EMAIL, JIRA_TOKEN, SN_PASSWORD, SN_SYS_ID, ticketFakes } from '../../../test/support/ticket-fakes.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import type { NonRetryableError} from '../../model/errors.js';
import { RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from './test-context.js';
import { updateTicketAction } from './update-ticket-action.js';

type Params = Parameters<typeof updateTicketAction.run>[0]['params'];

let api: Awaited<ReturnType<typeof ticketFakes>>;
let gh: Awaited<ReturnType<typeof gitHubFake>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await ticketFakes();
  gh = await gitHubFake();
  creds = [
    { id: 'jira', type: 'jira', data: { base_url: `${api.url}/jira`, email: JIRA_EMAIL, api_token: JIRA_TOKEN } },
    { id: 'jira-v3', type: 'jira', data: { base_url: `${api.url}/jira`, email: JIRA_EMAIL, api_token: JIRA_TOKEN, api_version: '3' } },
    { id: 'jira-stale', type: 'jira', data: { base_url: `${api.url}/jira`, email: JIRA_EMAIL, api_token: 'stale-jira-token-0000' } },
    { id: 'sn', type: 'servicenow', data: { base_url: `${api.url}/sn`, username: 'admin', password: SN_PASSWORD } },
    { id: 'gh', type: 'github', data: { token: GITHUB_TOKEN, base_url: gh.baseUrl } },
  ];
});
afterAll(async () => {
  await api.close();
  await gh.close();
});

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => updateTicketAction.run({ ...ctx, params: nodeParams(updateTicketAction, params) })) };
}
const failure = async (params: Params) => (await run(params).result.catch((e: unknown) => e)) as NonRetryableError;

describe('update_ticket on Jira', () => {
  it('edits fields with PUT, then takes the transition leading to the status asked for', async () => {
    const { result, lines } = run({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', title: 'Database down (db1)', priority: 'High', labels: ['sev1'], status: 'done' });
    const out = await result;
    expect(Value.Check(updateTicketAction.output, out)).toBe(true);
    expect(out).toEqual({ system: 'jira', id: 'OPS-24', key: 'OPS-24', url: `${api.url}/jira/browse/OPS-24`, status: 'Done' });
    const [put, list, post] = api.requests.slice(-3);
    expect(put).toMatchObject({ method: 'PUT', url: '/jira/rest/api/2/issue/OPS-24', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(put!.body)).toEqual({ fields: { summary: 'Database down (db1)', priority: { name: 'High' }, labels: ['sev1'] } });
    expect(list).toMatchObject({ method: 'GET', url: '/jira/rest/api/2/issue/OPS-24/transitions' });
    expect(JSON.parse(post!.body)).toEqual({ transition: { id: '31' } });
    expect(api.jira.get('OPS-24')).toMatchObject({ status: 'Done', fields: { summary: 'Database down (db1)' } });
    expect(JSON.stringify(lines)).not.toContain(JIRA_TOKEN);
  });

  it('sends the description as ADF on v3 and takes a transition by its name', async () => {
    await run({ credential_id: 'jira-v3', system: 'jira', ticket: 'OPS-24', description: 'line one', status: 'Start Progress' }).result;
    expect(JSON.parse(api.requests.at(-3)!.body)).toMatchObject({ fields: { description: { type: 'doc', version: 1 } } });
    expect(api.jira.get('OPS-24')?.status).toBe('In Progress');
  });

  it('names the available transitions when none leads to the status', async () => {
    const err = await failure({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', status: 'Won’t Do' });
    expect(err).toMatchObject({ code: 'jira_transition_not_found', message: 'Jira issue OPS-24 has no transition named or leading to "Won’t Do" from its current status (available: Start Progress → In Progress, Resolve → Done)' });
  });

  it('fails with Jira’s field errors and 404s, never the token', async () => {
    await expect(failure({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', priority: 'Urgent' })).resolves.toMatchObject({ code: 'jira_invalid', message: "Jira answered HTTP 400: priority: Priority name 'Urgent' is not valid", details: { fields: ['priority'] } });
    await expect(failure({ credential_id: 'jira', system: 'jira', ticket: 'OPS-99', status: 'Done' })).resolves.toMatchObject({ code: 'jira_not_found' });
    const auth = await failure({ credential_id: 'jira-stale', system: 'jira', ticket: 'OPS-24', status: 'Done' });
    expect(auth).toMatchObject({ code: 'jira_auth' });
    expect(JSON.stringify({ m: auth.message, d: auth.details })).not.toContain('stale-jira');
  });
});

describe('update_ticket on ServiceNow', () => {
  it('PATCHes fields, urgency/impact from priority, and resolves with close code and notes', async () => {
    const out = await run({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, priority: 'high', status: 'resolved', resolution_notes: 'Restarted db1' }).result;
    expect(out).toEqual({ system: 'servicenow', id: SN_SYS_ID, key: 'INC0010001', url: `${api.url}/sn/incident.do?sys_id=${SN_SYS_ID}`, status: '6' });
    expect(api.requests.at(-1)).toMatchObject({ method: 'PATCH', url: `/sn/api/now/table/incident/${SN_SYS_ID}` });
    expect(JSON.parse(api.requests.at(-1)!.body)).toEqual({ urgency: '1', impact: '2', state: '6', close_code: 'Solution provided', close_notes: 'Restarted db1' });
  });

  it('refuses an unknown state or priority before sending, and answers 404 for an unknown record', async () => {
    const before = api.requests.length;
    await expect(failure({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, status: 'fixed' })).resolves.toMatchObject({ code: 'invalid_params', details: { path: '/status' } });
    await expect(failure({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, priority: 'P1' })).resolves.toMatchObject({ code: 'invalid_params', details: { path: '/priority' } });
    expect(api.requests).toHaveLength(before);
    await expect(failure({ credential_id: 'sn', system: 'servicenow', ticket: 'f'.repeat(32), status: 'on_hold' })).resolves.toMatchObject({ code: 'servicenow_not_found', message: "ServiceNow answered HTTP 404: No Record found (Record doesn't exist or ACL restricts the record retrieval)" });
  });
});

describe('update_ticket on GitHub', () => {
  it('closes and retitles an issue with PATCH', async () => {
    const out = await run({ credential_id: 'gh', system: 'github', repository: 'acme/ops', ticket: '12', title: 'db1 down', status: 'closed' }).result;
    expect(out).toEqual({ system: 'github', id: '12', key: 'acme/ops#12', url: 'https://github.com/acme/ops/issues/12', status: 'closed' });
    expect(JSON.parse(gh.requests.at(-1)!.body)).toEqual({ title: 'db1 down', state: 'closed' });
    await expect(failure({ credential_id: 'gh', system: 'github', repository: 'acme/limited', ticket: '12', status: 'closed' })).resolves.toBeInstanceOf(RetryableError);
  });
});

describe('update_ticket refuses before sending', () => {
  it.each([
    [{ system: 'jira', ticket: 'ops-24', status: 'Done' }, '/ticket'],
    [{ system: 'servicenow', ticket: 'INC0010001', status: 'resolved' }, '/ticket'],
    [{ system: 'github', ticket: '12', status: 'closed' }, '/repository'],
    [{ system: 'github', repository: 'acme/ops', ticket: '12', status: 'resolved' }, '/status'],
    [{ system: 'jira', ticket: 'OPS-24' }, '/status'],
  ] as const)('%j, naming %s', async (change, path) => {
    const before = api.requests.length + gh.requests.length;
    await expect(failure({ credential_id: change.system === 'servicenow' ? 'sn' : change.system === 'github' ? 'gh' : 'jira', ...change })).resolves.toMatchObject({ code: 'invalid_params', details: { path } });
    expect(api.requests.length + gh.requests.length).toBe(before);
  });

  it('sends nothing where the egress policy refuses, and refuses a credential of another system', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', status: 'Done' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'gh', system: 'jira', ticket: 'OPS-24', status: 'Done' }).result).rejects.toMatchObject({ code: 'credential_type' });
  });

  it.each([
    [{ ticket: '../../admin' }, '/ticket'],
    [{ system: 'zendesk' }, '/system'],
    [{ repository: 'acme/..' }, '/repository'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(updateTicketAction.params, { credential_id: 'jira', system: 'jira', ticket: 'OPS-24', status: 'Done', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without secrets', () => {
    expect(updateTicketAction.plan?.(testContext<Params>({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', status: 'Done', priority: 'High' }).ctx)).toBe('update jira ticket OPS-24: status → Done, priority → High');
  });
});
