import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { createTicketAction } from './create-ticket-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof createTicketAction.run>[0]['params'];

const JIRA_TOKEN = 'jira-api-token-ATATT3xFfGF0';
const JIRA_PAT = 'jira-personal-access-token-NjA1';
const SN_PASSWORD = 'servicenow-password-5up3r';
const GH_TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function parse(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Jira REST v2 create issue, under a context path, with Jira's field-level validation report. */
function jira(req: Recorded, res: ServerResponse): void {
  const auth = req.headers.authorization;
  if (auth !== basic('ops@example.com', JIRA_TOKEN) && auth !== `Bearer ${JIRA_PAT}`) {
    return json(res, 401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
  }
  if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') return json(res, 415, { errorMessages: ['Unsupported Media Type'] });
  const fields = (parse(req.body)['fields'] ?? {}) as Record<string, { key?: string; name?: string } | undefined>;
  const errors: Record<string, string> = {};
  if (fields['project']?.key !== 'OPS') errors['project'] = 'valid project is required';
  if (!fields['summary']) errors['summary'] = 'You must specify a summary of the issue.';
  // v2 takes wiki markup text; v3 only an ADF document (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post).
  const description = (fields as Record<string, unknown>)['description'];
  const adf = typeof description === 'object' && description !== null && (description as { type?: string }).type === 'doc';
  if (description !== undefined && (req.url.includes('/api/3/') ? !adf : typeof description !== 'string')) errors['description'] = 'Operation value must be a string';
  if (!['Task', 'Bug'].includes(fields['issuetype']?.name ?? '')) errors['issuetype'] = 'valid issue type is required';
  if (fields['priority'] && !['Highest', 'High', 'Medium', 'Low'].includes(fields['priority'].name ?? '')) {
    errors['priority'] = `Priority name '${fields['priority'].name}' is not valid`;
  }
  if (Object.keys(errors).length > 0) return json(res, 400, { errorMessages: [], errors });
  json(res, 201, { id: '10000', key: 'OPS-24', self: 'http://jira.example.com/rest/api/2/issue/10000' });
}

/** ServiceNow Table API insert into incident. */
function serviceNow(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== basic('admin', SN_PASSWORD)) {
    return json(res, 401, { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
  }
  const body = parse(req.body);
  const bad = ['urgency', 'impact'].find((f) => body[f] !== undefined && !['1', '2', '3'].includes(body[f] as string));
  if (req.headers['content-type'] !== 'application/json' || bad) {
    return json(res, 400, { error: { message: 'Invalid request', detail: `${bad ?? 'body'} is not valid` }, status: 'failure' });
  }
  json(res, 201, {
    result: { sys_id: '9d385017c611228701d22104cc95c371', number: 'INC0010001', state: '1', short_description: body['short_description'] },
  });
}

/** GitHub create issue, with its 404 for unknown repos, 422 validation report and rate-limit answer. */
function gitHub(req: Recorded, res: ServerResponse): void {
  if (!req.headers['user-agent']) return json(res, 403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header' });
  if (req.headers.authorization !== `Bearer ${GH_TOKEN}`) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
  const repo = /^\/gh\/api\/v3\/repos\/([^/]+\/[^/]+)\/issues$/.exec(req.url)?.[1];
  if (repo === 'acme/limited') {
    const reset = String(Math.ceil(Date.now() / 1000) + 60);
    return json(res, 403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
  }
  if (repo !== 'acme/ops') return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue' });
  const body = parse(req.body) as { title?: string; labels?: string[] };
  const tooLong = (body.labels ?? []).some((l) => l.length > 50);
  if (!body.title || tooLong) {
    const errors = tooLong
      ? [{ resource: 'Label', code: 'custom', field: 'name', message: 'name is too long (maximum is 50 characters)' }]
      : [{ resource: 'Issue', code: 'missing_field', field: 'title' }];
    return json(res, 422, { message: 'Validation Failed', errors });
  }
  json(res, 201, { id: 1_234_567, number: 12, html_url: 'https://github.com/acme/ops/issues/12', title: body.title });
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture((req, res) => {
    if (req.url.startsWith('/jira/')) return req.url === '/jira/rest/api/2/issue' || req.url === '/jira/rest/api/3/issue' ? jira(req, res) : json(res, 404, {});
    if (req.url.startsWith('/sn/')) return req.url === '/sn/api/now/table/incident' ? serviceNow(req, res) : json(res, 404, {});
    gitHub(req, res);
  });
  creds = [
    { id: 'jira', type: 'jira', data: { base_url: `${api.url}/jira/`, email: 'ops@example.com', api_token: JIRA_TOKEN } },
    { id: 'jira-dc', type: 'jira', data: { base_url: `${api.url}/jira`, bearer_token: JIRA_PAT } },
    { id: 'jira-v3', type: 'jira', data: { base_url: `${api.url}/jira`, email: 'ops@example.com', api_token: JIRA_TOKEN, api_version: '3' } },
    { id: 'jira-stale', type: 'jira', data: { base_url: `${api.url}/jira`, email: 'ops@example.com', api_token: 'stale-jira-token-0000' } },
    { id: 'jira-empty', type: 'jira', data: { base_url: `${api.url}/jira`, email: 'ops@example.com' } },
    { id: 'sn', type: 'servicenow', data: { base_url: `${api.url}/sn`, username: 'admin', password: SN_PASSWORD } },
    { id: 'sn-stale', type: 'servicenow', data: { base_url: `${api.url}/sn`, username: 'admin', password: 'stale-sn-password' } },
    { id: 'gh', type: 'github', data: { token: GH_TOKEN, base_url: `${api.url}/gh/api/v3` } },
    { id: 'gh-stale', type: 'github', data: { token: 'ghp_revokedrevokedrevoked', base_url: `${api.url}/gh/api/v3` } },
  ];
});

afterAll(() => api.close());

function run(params: Params) {
  const { ctx, lines } = testContext(params, creds);
  return { lines, result: createTicketAction.run(ctx) };
}

function last(): Recorded {
  return api.requests[api.requests.length - 1]!;
}

async function failure(params: Params): Promise<Error & { code: string; retryable: boolean; details?: Record<string, unknown> }> {
  return (await run(params).result.then(
    () => expect.fail('expected the step to fail'),
    (e: unknown) => e,
  )) as Error & { code: string; retryable: boolean };
}

function secretFree(err: Error & { details?: unknown }, secret: string): void {
  expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(secret);
}

describe('create_ticket on Jira', () => {
  it('creates the issue under the base URL’s context path, Basic email:api_token', async () => {
    const out = await run({
      credential_id: 'jira',
      system: 'jira',
      project: 'OPS',
      title: 'Database down',
      description: 'db-1 stopped answering at 02:14',
      priority: 'High',
      labels: ['database', 'sev1'],
    }).result;
    expect(out).toEqual({ system: 'jira', id: '10000', key: 'OPS-24', url: `${api.url}/jira/browse/OPS-24` });
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/jira/rest/api/2/issue',
      headers: { authorization: basic('ops@example.com', JIRA_TOKEN), 'content-type': 'application/json', accept: 'application/json' },
    });
    expect(JSON.parse(last().body)).toEqual({
      fields: {
        project: { key: 'OPS' },
        summary: 'Database down',
        issuetype: { name: 'Task' },
        description: 'db-1 stopped answering at 02:14',
        priority: { name: 'High' },
        labels: ['database', 'sev1'],
      },
    });
  });

  it('API v3 (param or credential): the description goes as an ADF document', async () => {
    await run({ credential_id: 'jira', system: 'jira', project: 'OPS', title: 'Database down', description: 'db-1 stopped\nat 02:14\n\nFailover done', api_version: 3 }).result;
    expect(last().url).toBe('/jira/rest/api/3/issue');
    expect((JSON.parse(last().body) as { fields: { description: unknown } }).fields.description).toEqual({
      type: 'doc', version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'db-1 stopped' }, { type: 'hardBreak' }, { type: 'text', text: 'at 02:14' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Failover done' }] },
      ],
    });
    await run({ credential_id: 'jira-v3', system: 'jira', project: 'OPS', title: 'Disk full', description: 'db-2 at 95%' }).result;
    expect(last().url).toBe('/jira/rest/api/3/issue');
    expect((JSON.parse(last().body) as { fields: { description: unknown } }).fields.description).toEqual({
      type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'db-2 at 95%' }] }],
    });
    // The param wins over the credential.
    await run({ credential_id: 'jira-v3', system: 'jira', project: 'OPS', title: 'Disk full', description: 'text', api_version: 2 }).result;
    expect(last().url).toBe('/jira/rest/api/2/issue');
  });

  it('uses a Data Center personal access token as Bearer', async () => {
    await run({ credential_id: 'jira-dc', system: 'jira', project: 'OPS', title: 'Disk full', issue_type: 'Bug' }).result;
    expect(last().headers.authorization).toBe(`Bearer ${JIRA_PAT}`);
    expect(JSON.parse(last().body)).toEqual({ fields: { project: { key: 'OPS' }, summary: 'Disk full', issuetype: { name: 'Bug' } } });
  });

  it('maps field errors (400) to jira_invalid naming each failing field', async () => {
    const err = await failure({ credential_id: 'jira', system: 'jira', project: 'NOPE', title: 't', issue_type: 'Epic', priority: 'Urgent' });
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.code).toBe('jira_invalid');
    expect(err.message).toBe(
      "Jira answered HTTP 400: project: valid project is required; issuetype: valid issue type is required; priority: Priority name 'Urgent' is not valid",
    );
    expect(err.details).toEqual({ status: 400, fields: ['project', 'issuetype', 'priority'] });
  });

  it('maps a refused token (401) to jira_auth without naming the token', async () => {
    const err = await failure({ credential_id: 'jira-stale', system: 'jira', project: 'OPS', title: 't' });
    expect(err).toMatchObject({ code: 'jira_auth', retryable: false });
    expect(err.message).toMatch(/^Jira answered HTTP 401: You are not authenticated/);
    secretFree(err, 'stale-jira-token');
  });

  it('needs a project key, and a credential that can log in, before calling Jira', async () => {
    const sent = api.requests.length;
    await expect(run({ credential_id: 'jira', system: 'jira', title: 't' }).result).rejects.toMatchObject({
      code: 'invalid_params',
      details: { path: '/project' },
    });
    await expect(run({ credential_id: 'jira-empty', system: 'jira', project: 'OPS', title: 't' }).result).rejects.toMatchObject({
      code: 'credential_invalid',
      message: 'credential jira-empty (jira) has neither bearer_token nor email and api_token',
    });
    await expect(run({ credential_id: 'gh', system: 'jira', project: 'OPS', title: 't' }).result).rejects.toMatchObject({ code: 'credential_type' });
    expect(api.requests).toHaveLength(sent);
  });
});

describe('create_ticket on ServiceNow', () => {
  it('inserts an incident with urgency and impact from the priority', async () => {
    const { result, lines } = run({ credential_id: 'sn', system: 'servicenow', title: 'Database down', description: 'db-1', priority: 'high', labels: ['x'] });
    expect(await result).toEqual({
      system: 'servicenow',
      id: '9d385017c611228701d22104cc95c371',
      key: 'INC0010001',
      url: `${api.url}/sn/incident.do?sys_id=9d385017c611228701d22104cc95c371`,
    });
    expect(last()).toMatchObject({ method: 'POST', url: '/sn/api/now/table/incident', headers: { authorization: basic('admin', SN_PASSWORD) } });
    expect(JSON.parse(last().body)).toEqual({ short_description: 'Database down', description: 'db-1', urgency: '1', impact: '2' });
    expect(lines[0]).toEqual({ level: 'warn', message: 'labels ignored: not used by ServiceNow', data: undefined });
  });

  it('lets explicit urgency and impact win, and refuses a priority it cannot map', async () => {
    await run({ credential_id: 'sn', system: 'servicenow', title: 't', priority: 'critical', impact: 3 }).result;
    expect(JSON.parse(last().body)).toMatchObject({ urgency: '1', impact: '3' });
    await expect(run({ credential_id: 'sn', system: 'servicenow', title: 't', priority: 'P1' }).result).rejects.toMatchObject({
      code: 'invalid_params',
      details: { path: '/priority' },
    });
  });

  it('maps a failure answer to servicenow_auth with its message and detail, without the password', async () => {
    const err = await failure({ credential_id: 'sn-stale', system: 'servicenow', title: 't' });
    expect(err).toMatchObject({
      code: 'servicenow_auth',
      retryable: false,
      message: 'ServiceNow answered HTTP 401: User Not Authenticated (Required to provide Auth information)',
    });
    secretFree(err, 'stale-sn-password');
  });
});

describe('create_ticket on GitHub', () => {
  it('opens the issue with the GitHub media type, API version and a bearer token', async () => {
    const { result, lines } = run({ credential_id: 'gh', system: 'github', repository: 'acme/ops', title: 'Flaky deploy', description: '**why**', labels: ['ci'], priority: 'high' });
    expect(await result).toEqual({ system: 'github', id: '12', key: 'acme/ops#12', url: 'https://github.com/acme/ops/issues/12' });
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/gh/api/v3/repos/acme/ops/issues',
      headers: {
        authorization: `Bearer ${GH_TOKEN}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'content-type': 'application/json',
      },
    });
    expect(JSON.parse(last().body)).toEqual({ title: 'Flaky deploy', body: '**why**', labels: ['ci'] });
    expect(lines.map((l) => l.message)).toEqual(['priority ignored: not used by GitHub', 'created GitHub ticket acme/ops#12']);
  });

  it.each([
    [{ repository: 'acme/missing' }, 'github_not_found', 'GitHub answered HTTP 404: Not Found'],
    [{ labels: ['x'.repeat(51)] }, 'github_invalid', 'GitHub answered HTTP 422: Validation Failed (name is too long (maximum is 50 characters))'],
  ])('maps %j to %s', async (change, code, message) => {
    const err = await failure({ credential_id: 'gh', system: 'github', repository: 'acme/ops', title: 't', ...change });
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code, message });
  });

  it('retries an exhausted rate limit (403, remaining 0) when it resets', async () => {
    const err = await failure({ credential_id: 'gh', system: 'github', repository: 'acme/limited', title: 't' });
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.code).toBe('github_rate_limited');
    expect((err as unknown as RetryableError).retryAfterMs).toBeGreaterThan(55_000);
    // The reset is 60 s after the server's clock, rounded up to its second; the action measures from the
    // moment it sent the request, a few ms earlier under load (61,006 ms was seen), never a second.
    expect((err as unknown as RetryableError).retryAfterMs).toBeLessThanOrEqual(62_000);
  });

  it('maps bad credentials (401) to github_auth without naming the token', async () => {
    const err = await failure({ credential_id: 'gh-stale', system: 'github', repository: 'acme/ops', title: 't' });
    expect(err).toMatchObject({ code: 'github_auth', retryable: false, message: 'GitHub answered HTTP 401: Bad credentials' });
    secretFree(err, 'ghp_revoked');
  });
});

describe('create_ticket params', () => {
  const valid = { credential_id: 'jira', system: 'jira', project: 'OPS', title: 'Database down' };

  it.each([
    [{ system: 'zendesk' }, '/system'],
    [{ title: '' }, '/title'],
    [{ project: 'ops' }, '/project'],
    [{ repository: 'acme' }, '/repository'],
    [{ repository: '../..' }, '/repository'],
    [{ urgency: 4 }, '/urgency'],
    [{ impact: 1.5 }, '/impact'],
    [{ labels: 'sev1' }, '/labels'],
  ])('rejects %j at %s', (change, path) => {
    expect([...Value.Errors(createTicketAction.params, { ...valid, ...change })].map((e) => e.path)).toContain(path);
  });

  it('needs a repository for GitHub', async () => {
    await expect(run({ credential_id: 'gh', system: 'github', title: 't' }).result).rejects.toMatchObject({ details: { path: '/repository' } });
  });

  it('plans per system', () => {
    const plan = (params: Params) => createTicketAction.plan?.(testContext(params).ctx);
    expect(plan({ credential_id: 'c', system: 'jira', project: 'OPS', title: 'Database down' })).toBe('create Jira Task in OPS: "Database down"');
    expect(plan({ credential_id: 'c', system: 'servicenow', title: 'Database down' })).toBe('create ServiceNow incident: "Database down"');
    expect(plan({ credential_id: 'c', system: 'github', repository: 'acme/ops', title: 'Flaky' })).toBe('create GitHub issue in acme/ops: "Flaky"');
  });
});
