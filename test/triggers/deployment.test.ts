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
    expect((await github('push', 'g-1', push('refs/heads/main'))).status).toBe(202);
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

  it('GitLab: X-Gitlab-Token compared, Deployment Hook as deployment_status, dedup by webhook UUID', async () => {
    const wf = await deployActive(s, echoWorkflow('GitLab', { trigger_type: 'deployment', path: 'gl', provider: 'gitlab', secret: 'gl-token', events: ['push', 'deployment_status'] }));
    const gitlab = (event: string, uuid: string, payload: unknown, token = 'gl-token') => fetch(`${s.url}/deployments/gl`, {
      method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': token, 'x-gitlab-webhook-uuid': uuid },
    });
    expect((await gitlab('Push Hook', 'u-0', {}, 'nope')).status).toBe(401);
    const push = { object_kind: 'push', ref: 'refs/heads/main', checkout_sha: 'd'.repeat(40), user_username: 'dev', project: { path_with_namespace: 'grp/app' } };
    expect((await gitlab('Push Hook', 'u-1', push)).status).toBe(202);
    expect((await gitlab('Push Hook', 'u-1', push)).status).toBe(202);
    const deploy = { object_kind: 'deployment', status: 'success', environment: 'production', ref: 'main', sha: 'e'.repeat(40), project: { path_with_namespace: 'grp/app' }, user: { username: 'dev' } };
    expect((await gitlab('Deployment Hook', 'u-2', deploy)).status).toBe(202);
    const runs = await untilExecutions(s, wf, 2);
    expect(runs.map((r) => (r.input_data as { event: string }).event).sort()).toEqual(['deployment_status', 'push']);
    expect(JSON.stringify(runs)).not.toContain('gl-token');
  });
});
