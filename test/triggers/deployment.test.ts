import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/triggers/ingress.js';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions } from './trigger-test-kit.js';

const SECRET = "It's a Secret to Everybody";

describe.each(DIALECTS)('deployment trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  const github = (event: string, delivery: string, payload: unknown, secret = SECRET) => {
    const body = JSON.stringify(payload);
    return fetch(`${s.url}/deployments/repo`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': `sha256=${hmacHex(secret, body)}` },
    });
  };

  it('GitHub push: signature checked, branch filter applied, a redelivery starts nothing new', async () => {
    const wf = await deployActive(s, echoWorkflow('On push to main', { trigger_type: 'deployment', path: 'repo', provider: 'github', secret: SECRET, events: ['push'], branches: ['main', 'release/*'] }));
    const push = (ref: string) => ({ ref, before: 'a'.repeat(40), after: 'b'.repeat(40), commits: [], head_commit: null, pusher: { name: 'dev', email: 'd@x' }, repository: { full_name: 'org/app' }, sender: { login: 'dev' } });
    expect((await github('push', 'g-0', push('refs/heads/main'), 'wrong')).status).toBe(401);
    expect((await github('ping', 'g-p', { zen: 'hi' })).status).toBe(200);
    expect((await github('push', 'g-1', push('refs/heads/main'))).status).toBe(202);
    const again = await github('push', 'g-1', push('refs/heads/main'));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect((await github('push', 'g-2', push('refs/heads/feature/x'))).status).toBe(200);
    expect((await github('push', 'g-3', push('refs/heads/release/1.2'))).status).toBe(202);
    const runs = await untilExecutions(s, wf, 2);
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(2);
    expect(runs.map((r) => (r.input_data as { branch: string }).branch).sort()).toEqual(['main', 'release/1.2']);
    expect(runs[0]!.input_data).toMatchObject({ provider: 'github', event: 'push', repository: 'org/app', sha: 'b'.repeat(40), sender: 'dev' });
  });

  it('GitHub deployment_status filtered by environment and state', async () => {
    const wf = await deployActive(s, echoWorkflow('Prod success', { trigger_type: 'deployment', path: 'repo', secret: SECRET, events: ['deployment_status'], environments: ['production'], states: ['success'] }));
    const status = (state: string, environment: string) => ({
      action: 'created', deployment_status: { state, environment, description: '', target_url: '' },
      deployment: { id: 1, sha: 'c'.repeat(40), ref: 'main', task: 'deploy', environment, payload: {}, creator: { login: 'bot' } }, repository: { full_name: 'org/app' },
    });
    await github('deployment_status', 'ds-1', status('failure', 'production'));
    await github('deployment_status', 'ds-2', status('success', 'staging'));
    await github('deployment_status', 'ds-3', status('success', 'production'));
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({ event: 'deployment_status', environment: 'production', state: 'success', branch: 'main' });
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(1);
  });

  it('GitHub push deleting a branch (deleted: true, after 000…) starts nothing', async () => {
    // https://docs.github.com/en/webhooks/webhook-events-and-payloads#push: `deleted` "Whether this push deleted the ref", `after` all zeros.
    const wf = await deployActive(s, echoWorkflow('On push anywhere', { trigger_type: 'deployment', path: 'del', provider: 'github', secret: SECRET, events: ['push'] }));
    const body = { ref: 'refs/heads/feature/gone', before: 'a'.repeat(40), after: '0'.repeat(40), created: false, deleted: true, forced: false, commits: [], head_commit: null, pusher: { name: 'dev' }, repository: { full_name: 'org/app' }, sender: { login: 'dev' } };
    const raw = JSON.stringify(body);
    const r = await fetch(`${s.url}/deployments/del`, {
      method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'del-1', 'x-hub-signature-256': `sha256=${hmacHex(SECRET, raw)}` },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ignored' });
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(0);
  });

  const gitlab = (path: string, event: string, headers: Record<string, string>, payload: unknown, token = 'gl-token') => fetch(`${s.url}/deployments/${path}`, {
    method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': token, ...headers },
  });

  it('GitLab retries: dedup on Idempotency-Key (then X-Gitlab-Event-UUID), never on the per-request X-Gitlab-Webhook-UUID', async () => {
    // https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers: `Idempotency-Key` is
    // "consistent across webhook retries"; `X-Gitlab-Webhook-UUID` is unique for every webhook request.
    const wf = await deployActive(s, echoWorkflow('GitLab', { trigger_type: 'deployment', path: 'gl', provider: 'gitlab', secret: 'gl-token', events: ['push'] }));
    expect((await gitlab('gl', 'Push Hook', {}, {}, 'nope')).status).toBe(401);
    const push = { object_kind: 'push', ref: 'refs/heads/main', checkout_sha: 'd'.repeat(40), user_username: 'dev', project: { path_with_namespace: 'grp/app' } };
    const first = await gitlab('gl', 'Push Hook', { 'idempotency-key': 'k-1', 'x-gitlab-event-uuid': 'ev-1', 'x-gitlab-webhook-uuid': 'w-1' }, push);
    expect(first.status).toBe(202);
    const retry = await gitlab('gl', 'Push Hook', { 'idempotency-key': 'k-1', 'x-gitlab-event-uuid': 'ev-1', 'x-gitlab-webhook-uuid': 'w-2' }, push);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ duplicate: true });
    // Older GitLab without Idempotency-Key: the event UUID is what stays the same.
    expect((await gitlab('gl', 'Push Hook', { 'x-gitlab-event-uuid': 'ev-2', 'x-gitlab-webhook-uuid': 'w-3' }, push)).status).toBe(202);
    expect((await gitlab('gl', 'Push Hook', { 'x-gitlab-event-uuid': 'ev-2', 'x-gitlab-webhook-uuid': 'w-4' }, push)).status).toBe(200);
    const runs = await untilExecutions(s, wf, 2);
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(2);
    expect(runs.map((r) => (r.input_data as { delivery_id: string }).delivery_id).sort()).toEqual(['ev-2', 'k-1']);
    expect(JSON.stringify(runs)).not.toContain('gl-token');
  });

  it('GitLab Deployment Hook (documented payload, no ref): fields mapped; a branch filter passes it with a warning', async () => {
    const wf = await deployActive(s, echoWorkflow('GitLab deploy', { trigger_type: 'deployment', path: 'gld', provider: 'gitlab', secret: 'gl-token', events: ['deployment_status'], branches: ['main'], environments: ['staging'], states: ['success'] }));
    // The sample of https://docs.gitlab.com/user/project/integrations/webhook_events/#deployment-events (no `ref`, no `sha`).
    const deploy = {
      object_kind: 'deployment', status: 'success', status_changed_at: '2021-04-28 21:50:00 +0200', deployment_id: 15, deployable_id: 796,
      deployable_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796', environment: 'staging', environment_tier: 'staging',
      environment_slug: 'staging', environment_external_url: 'https://staging.example.com',
      project: { id: 30, name: 'test-deployment-webhooks', path_with_namespace: 'root/test-deployment-webhooks', default_branch: 'master' },
      short_sha: '279484c0', user: { id: 1, name: 'Administrator', username: 'root', email: 'admin@example.com' }, user_url: 'http://10.126.0.2:3000/root',
      commit_url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/commit/279484c09fbe69ededfced8c1bb6e6d24616b468', commit_title: 'Add new file',
    };
    const r = await gitlab('gld', 'Deployment Hook', { 'idempotency-key': 'd-1' }, deploy);
    expect(r.status).toBe(202);
    expect(((await r.json()) as { warnings: string[] }).warnings[0]).toMatch(/branches filter not evaluated/);
    // With `ref` (recent GitLab) the filter is applied: another branch is filtered out.
    expect((await gitlab('gld', 'Deployment Hook', { 'idempotency-key': 'd-2' }, { ...deploy, ref: 'feature/x' })).status).toBe(200);
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({
      event: 'deployment_status', state: 'success', environment: 'staging', repository: 'root/test-deployment-webhooks', ref: null,
      sha: '279484c09fbe69ededfced8c1bb6e6d24616b468', sender: 'root', url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
    });
    expect((run!.input_data as { filter_warnings: string[] }).filter_warnings).toHaveLength(1);
  });

  it('GitLab Pipeline Hook fires `pipeline` triggers with ref, sha and status', async () => {
    const wf = await deployActive(s, echoWorkflow('GitLab pipeline', { trigger_type: 'deployment', path: 'glp', provider: 'gitlab', secret: 'gl-token', events: ['pipeline'], branches: ['master'], states: ['success'] }));
    // Shape of https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events (trimmed).
    const pipeline = (status: string) => ({
      object_kind: 'pipeline',
      object_attributes: { id: 31, iid: 3, name: 'Pipeline for branch: master', ref: 'master', tag: false, sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2', before_sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2', source: 'merge_request_event', status, stages: ['build', 'test', 'deploy'], url: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31' },
      user: { id: 1, name: 'Administrator', username: 'root' }, project: { id: 1, path_with_namespace: 'gitlab-org/gitlab-test' },
    });
    expect((await gitlab('glp', 'Pipeline Hook', { 'idempotency-key': 'p-1' }, pipeline('running'))).status).toBe(200);
    expect((await gitlab('glp', 'Pipeline Hook', { 'idempotency-key': 'p-2' }, pipeline('success'))).status).toBe(202);
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({ event: 'pipeline', branch: 'master', sha: 'bcbb5ec396a2c0f828686f14fac9b80b780504f2', state: 'success', sender: 'root', repository: 'gitlab-org/gitlab-test' });
  });
});
