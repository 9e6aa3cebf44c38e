import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, gitHubFake } from '../../../test/support/github-fake.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { gitHubIssueAction } from './github-issue-action.js';

type Params = Parameters<typeof gitHubIssueAction.run>[0]['params'];

let gh: Awaited<ReturnType<typeof gitHubFake>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  gh = await gitHubFake();
  creds = [
    { id: 'gh', type: 'github', data: { token: GITHUB_TOKEN, base_url: gh.baseUrl } },
    { id: 'gh-stale', type: 'github', data: { token: 'ghp_staleStaleStaleStale', base_url: gh.baseUrl } },
  ];
});
afterAll(() => gh.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => gitHubIssueAction.run({ ...ctx, params: nodeParams(gitHubIssueAction, params) })) };
}
const last = () => gh.requests[gh.requests.length - 1]!;
const failure = async (params: Params) => (await run(params).result.catch((e: unknown) => e)) as NonRetryableError;

describe('github_issue', () => {
  it('creates an issue with the headers GitHub documents', async () => {
    const { result, lines } = run({ credential_id: 'gh', operation: 'create', repository: 'acme/ops', title: 'Disk full on web3', body: 'at 92%', labels: ['ops'], assignees: ['alice'] });
    const out = await result;
    expect(Value.Check(gitHubIssueAction.output, out)).toBe(true);
    expect(out).toMatchObject({ html_url: expect.stringMatching(/\/issues\/\d+$/) as string, state: 'open' });
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/api/v3/repos/acme/ops/issues',
      headers: { authorization: `Bearer ${GITHUB_TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'iTechSmart-Workflow' },
    });
    expect(JSON.parse(last().body)).toEqual({ title: 'Disk full on web3', body: 'at 92%', labels: ['ops'], assignees: ['alice'] });
    expect(gh.issues.get(out.number)?.title).toBe('Disk full on web3');
    expect(JSON.stringify(lines)).not.toContain(GITHUB_TOKEN);
  });

  it('comments on an issue', async () => {
    const out = await run({ credential_id: 'gh', operation: 'comment', repository: 'acme/ops', issue_number: 12, body: 'Restarted the primary' }).result;
    expect(out).toMatchObject({ number: 12, html_url: 'https://github.com/acme/ops/issues/12', comment_url: expect.stringContaining('#issuecomment-') as string });
    expect(last()).toMatchObject({ method: 'POST', url: '/api/v3/repos/acme/ops/issues/12/comments' });
    expect(gh.issues.get(12)?.comments).toContain('Restarted the primary');
  });

  it('closes an issue as not planned, commenting first', async () => {
    const out = await run({ credential_id: 'gh', operation: 'close', repository: 'acme/ops', issue_number: 12, body: 'Duplicate of #11', state_reason: 'not_planned' }).result;
    expect(out).toMatchObject({ number: 12, state: 'closed', comment_id: expect.any(String) as string });
    expect(last()).toMatchObject({ method: 'PATCH', url: '/api/v3/repos/acme/ops/issues/12' });
    expect(JSON.parse(last().body)).toEqual({ state: 'closed', state_reason: 'not_planned' });
    expect(gh.issues.get(12)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
  });

  it('fails on 401/404 with GitHub’s message, never the token; a primary rate limit is retryable', async () => {
    const auth = await failure({ credential_id: 'gh-stale', operation: 'create', repository: 'acme/ops', title: 'x' });
    expect(auth).toBeInstanceOf(NonRetryableError);
    expect(auth).toMatchObject({ code: 'github_auth', message: 'GitHub answered HTTP 401: Bad credentials' });
    expect(auth.message).not.toContain('Stale');
    await expect(failure({ credential_id: 'gh', operation: 'comment', repository: 'acme/ops', issue_number: 999, body: 'x' })).resolves.toMatchObject({ code: 'github_not_found' });
    const limited = await failure({ credential_id: 'gh', operation: 'create', repository: 'acme/limited', title: 'x' });
    expect(limited).toBeInstanceOf(RetryableError);
    expect(limited).toMatchObject({ code: 'github_rate_limited' });
  });

  it('refuses missing fields before sending, and sends nothing where egress is refused', async () => {
    const before = gh.requests.length;
    await expect(run({ credential_id: 'gh', operation: 'create', repository: 'acme/ops' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/title' } });
    await expect(run({ credential_id: 'gh', operation: 'close', repository: 'acme/ops' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/issue_number' } });
    await expect(run({ credential_id: 'gh', operation: 'comment', repository: 'acme/ops', issue_number: 12 }).result).rejects.toMatchObject({ details: { path: '/body' } });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'gh', operation: 'create', repository: 'acme/ops', title: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(gh.requests).toHaveLength(before);
  });

  it.each([
    [{ repository: '../../user' }, '/repository'],
    [{ repository: 'acme/ops/../x' }, '/repository'],
    [{ repository: '../..' }, '/repository'],
    [{ repository: 'acme/..' }, '/repository'],
    [{ issue_number: 0 }, '/issue_number'],
    [{ state_reason: 'wontfix' }, '/state_reason'],
    [{ operation: 'delete' }, '/operation'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(gitHubIssueAction.params, { credential_id: 'gh', operation: 'create', repository: 'acme/ops', title: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the token', () => {
    const plan = (p: Params) => gitHubIssueAction.plan?.(testContext(p).ctx);
    expect(plan({ credential_id: 'gh', operation: 'close', repository: 'acme/ops', issue_number: 12 })).toBe('close GitHub issue acme/ops#12 as completed');
    expect(plan({ credential_id: 'gh', operation: 'create', repository: 'acme/ops', title: 'Disk full' })).toBe('create GitHub issue in acme/ops: "Disk full"');
  });
});
