import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITHUB_TOKEN, gitHubFake } from '../../../test/support/github-fake.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { gitHubDeploymentStatusAction } from './github-deployment-status-action.js';

type Params = Parameters<typeof gitHubDeploymentStatusAction.run>[0]['params'];

let gh: Awaited<ReturnType<typeof gitHubFake>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  gh = await gitHubFake();
  creds = [{ id: 'gh', type: 'github', data: { token: GITHUB_TOKEN, base_url: gh.baseUrl } }];
});
afterAll(() => gh.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => gitHubDeploymentStatusAction.run({ ...ctx, params: nodeParams(gitHubDeploymentStatusAction, params) })) };
}
const bodyOf = (i: number) => JSON.parse(gh.requests.at(i)!.body) as Record<string, unknown>;
const failure = async (params: Params) => (await run(params).result.catch((e: unknown) => e)) as NonRetryableError;

describe('github_deployment_status', () => {
  it('posts a status with environment and log URLs to an existing deployment', async () => {
    const { result, lines } = run({
      credential_id: 'gh', repository: 'acme/ops', deployment_id: 9001, state: 'success', environment: 'production',
      environment_url: 'https://app.example.com', log_url: 'https://ci.example.com/run/7', description: 'Deployed v1.4.2',
    });
    const out = await result;
    expect(Value.Check(gitHubDeploymentStatusAction.output, out)).toBe(true);
    expect(out).toEqual({ deployment_id: 9001, status_id: 70_001, state: 'success', created_deployment: false });
    expect(gh.requests.at(-1)).toMatchObject({ method: 'POST', url: '/api/v3/repos/acme/ops/deployments/9001/statuses', headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' } });
    expect(bodyOf(-1)).toEqual({ state: 'success', environment: 'production', environment_url: 'https://app.example.com', log_url: 'https://ci.example.com/run/7', description: 'Deployed v1.4.2' });
    expect(JSON.stringify(lines)).not.toContain(GITHUB_TOKEN);
  });

  it('creates the deployment of a ref first (no auto-merge, no required contexts), then its status', async () => {
    const out = await run({ credential_id: 'gh', repository: 'acme/ops', ref: 'v1.4.2', environment: 'staging', state: 'in_progress', payload: { build: 7 } }).result;
    expect(out).toMatchObject({ deployment_id: 9002, state: 'in_progress', created_deployment: true });
    expect(gh.requests.at(-2)).toMatchObject({ method: 'POST', url: '/api/v3/repos/acme/ops/deployments' });
    expect(bodyOf(-2)).toEqual({ ref: 'v1.4.2', payload: { build: 7 }, environment: 'staging', auto_merge: false, required_contexts: [] });
    expect(gh.deployments.get(9002)?.statuses).toEqual([{ state: 'in_progress', environment: 'staging' }]);
  });

  it('fails with GitHub’s answers: 404 unknown deployment, 409 merge conflict, retryable rate limit', async () => {
    await expect(failure({ credential_id: 'gh', repository: 'acme/ops', deployment_id: 1, state: 'success' })).resolves.toMatchObject({ code: 'github_not_found', retryable: false });
    const conflict = await failure({ credential_id: 'gh', repository: 'acme/ops', ref: 'conflict', state: 'queued' });
    expect(conflict).toBeInstanceOf(NonRetryableError);
    expect(conflict).toMatchObject({ code: 'github_error', message: 'GitHub answered HTTP 409: Conflict merging main into conflict.' });
    await expect(failure({ credential_id: 'gh', repository: 'acme/limited', deployment_id: 1, state: 'success' })).resolves.toBeInstanceOf(RetryableError);
  });

  it('refuses a new deployment without ref before sending, and sends nothing where egress is refused', async () => {
    const before = gh.requests.length;
    await expect(run({ credential_id: 'gh', repository: 'acme/ops', state: 'success' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/ref' } });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'gh', repository: 'acme/ops', deployment_id: 9001, state: 'success' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(gh.requests).toHaveLength(before);
  });

  it.each([
    [{ state: 'done' }, '/state'],
    [{ description: 'x'.repeat(141) }, '/description'],
    [{ log_url: 'javascript:alert(1)' }, '/log_url'],
    [{ repository: 'acme/..' }, '/repository'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(gitHubDeploymentStatusAction.params, { credential_id: 'gh', repository: 'acme/ops', deployment_id: 1, state: 'success', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the token', () => {
    expect(gitHubDeploymentStatusAction.plan?.(testContext<Params>({ credential_id: 'gh', repository: 'acme/ops', ref: 'v1', environment: 'staging', state: 'queued' }).ctx)).toBe(
      'set a new deployment of v1 in acme/ops (staging) to queued',
    );
  });
});
