import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, gitHubFake } from '../../../test/support/github-fake.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import { JIRA_EMAIL, JIRA_TOKEN, SN_PASSWORD, SN_SYS_ID, ticketFakes } from '../../../test/support/ticket-fakes.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import type { NonRetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { commentTicketAction } from './comment-ticket-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof commentTicketAction.run>[0]['params'];

let api: Awaited<ReturnType<typeof ticketFakes>>;
let gh: Awaited<ReturnType<typeof gitHubFake>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await ticketFakes();
  gh = await gitHubFake();
  creds = [
    { id: 'jira', type: 'jira', data: { base_url: `${api.url}/jira`, email: JIRA_EMAIL, api_token: JIRA_TOKEN } },
    { id: 'sn', type: 'servicenow', data: { base_url: `${api.url}/sn`, username: 'admin', password: SN_PASSWORD } },
    { id: 'sn-stale', type: 'servicenow', data: { base_url: `${api.url}/sn`, username: 'admin', password: 'stale-sn-password-0' } },
    { id: 'gh', type: 'github', data: { token: GITHUB_TOKEN, base_url: gh.baseUrl } },
  ];
});
afterAll(async () => {
  await api.close();
  await gh.close();
});

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => commentTicketAction.run({ ...ctx, params: nodeParams(commentTicketAction, params) })) };
}
const failure = async (params: Params) => (await run(params).result.catch((e: unknown) => e)) as NonRetryableError;

describe('comment_ticket', () => {
  it('comments on a Jira issue (v2 text; v3 as ADF)', async () => {
    const { result, lines } = run({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', comment: 'Restarted db1 at 02:30' });
    const out = await result;
    expect(Value.Check(commentTicketAction.output, out)).toBe(true);
    expect(out).toEqual({ system: 'jira', key: 'OPS-24', url: `${api.url}/jira/browse/OPS-24`, comment_id: '10001' });
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', url: '/jira/rest/api/2/issue/OPS-24/comment' });
    expect(JSON.parse(api.requests.at(-1)!.body)).toEqual({ body: 'Restarted db1 at 02:30' });
    await run({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', comment: 'again', api_version: 3 }).result;
    expect(JSON.parse(api.requests.at(-1)!.body)).toEqual({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'again' }] }] } });
    expect(JSON.stringify(lines)).not.toContain(JIRA_TOKEN);
  });

  it('adds a ServiceNow comment, or a work note when internal', async () => {
    await expect(run({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, comment: 'We are on it' }).result).resolves.toEqual({
      system: 'servicenow', key: 'INC0010001', url: `${api.url}/sn/incident.do?sys_id=${SN_SYS_ID}`,
    });
    await run({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, comment: 'db1 OOM-killed', internal: true }).result;
    expect(api.incidents.get(SN_SYS_ID)?.journal).toEqual([{ field: 'comments', text: 'We are on it' }, { field: 'work_notes', text: 'db1 OOM-killed' }]);
  });

  it('comments on a GitHub issue, warning that internal means nothing there', async () => {
    const { result, lines } = run({ credential_id: 'gh', system: 'github', repository: 'acme/ops', ticket: '12', comment: 'Fixed in #13', internal: true });
    expect(await result).toMatchObject({ system: 'github', key: 'acme/ops#12', url: expect.stringContaining('/issues/12#issuecomment-') as string, comment_id: expect.any(String) as string });
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'internal ignored: github comments are visible to everyone who sees the ticket' });
  });

  it('fails with the system’s message, never the password; refuses a wrong ticket shape before sending', async () => {
    const auth = await failure({ credential_id: 'sn-stale', system: 'servicenow', ticket: SN_SYS_ID, comment: 'x' });
    expect(auth).toMatchObject({ code: 'servicenow_auth', message: 'ServiceNow answered HTTP 401: User Not Authenticated (Required to provide Auth information)' });
    expect(JSON.stringify({ m: auth.message, d: auth.details })).not.toContain('stale-sn');
    await expect(failure({ credential_id: 'jira', system: 'jira', ticket: 'OPS-404', comment: 'x' })).resolves.toMatchObject({ code: 'jira_not_found' });
    const before = api.requests.length;
    await expect(failure({ credential_id: 'sn', system: 'servicenow', ticket: 'INC0010001', comment: 'x' })).resolves.toMatchObject({ code: 'invalid_params', details: { path: '/ticket' } });
    expect(api.requests).toHaveLength(before);
  });

  it('sends nothing where the egress policy refuses', async () => {
    const before = api.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'jira', system: 'jira', ticket: 'OPS-24', comment: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(api.requests).toHaveLength(before);
  });

  it.each([
    [{ comment: '' }, '/comment'],
    [{ ticket: 'OPS-24/../../x' }, '/ticket'],
    [{ internal: 'yes' }, '/internal'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(commentTicketAction.params, { credential_id: 'jira', system: 'jira', ticket: 'OPS-24', comment: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without secrets', () => {
    expect(commentTicketAction.plan?.(testContext<Params>({ credential_id: 'sn', system: 'servicenow', ticket: SN_SYS_ID, comment: 'db1 OOM-killed', internal: true }).ctx)).toBe(
      `add a work note to servicenow ticket ${SN_SYS_ID}: "db1 OOM-killed"`,
    );
  });
});
