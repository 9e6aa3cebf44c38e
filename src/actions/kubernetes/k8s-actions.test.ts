import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CN, K8S_TOKEN, k8sServer, kubeconfig } from '../../../test/support/k8s-api.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { makeTestPki, type TestPki } from '../../../test/support/tls-certs.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { k8sGetAction } from './k8s-get-action.js';
import { k8sLogsAction } from './k8s-logs-action.js';
import { k8sRolloutRestartAction } from './k8s-rollout-restart-action.js';
import { k8sScaleAction } from './k8s-scale-action.js';

let pki: TestPki;
let api: Awaited<ReturnType<typeof k8sServer>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  pki = makeTestPki(CLIENT_CN);
  api = await k8sServer(pki);
  const kc = (user: Parameters<typeof kubeconfig>[2], extra?: Parameters<typeof kubeconfig>[3], ca = pki.ca) => kubeconfig(api.url, ca, user, extra);
  creds = [
    { id: 'token', type: 'kubernetes', data: { kubeconfig: kc({ token: K8S_TOKEN }, { namespace: 'prod' }) } },
    { id: 'cert', type: 'kubernetes', data: { kubeconfig: kc({ cert: pki.clientCert, key: pki.clientKey }, { namespace: 'prod' }) } },
    { id: 'wrong-token', type: 'kubernetes', data: { kubeconfig: kc({ token: 'eyJ.revoked-service-account-token' }, { namespace: 'prod' }) } },
    { id: 'other-ca', type: 'kubernetes', data: { kubeconfig: kc({ token: K8S_TOKEN }, { namespace: 'prod' }, pki.otherCa) } },
    { id: 'exec', type: 'kubernetes', data: { kubeconfig: kc({ token: K8S_TOKEN }, { userExtra: '    exec:\n      command: /bin/sh\n' }) } },
    { id: 'pinned-elsewhere', type: 'kubernetes', data: { kubeconfig: kc({ token: K8S_TOKEN }) }, allowed_hosts: ['k8s.example.com'] },
  ];
});
afterAll(() => api.close());

const ctxOf = <P>(params: P, services = testServices()) => testContext(params, creds, services);

describe('k8s_rollout_restart', () => {
  it('patches the pod template annotation with a strategic merge patch, as kubectl rollout restart', async () => {
    const { ctx } = ctxOf({ credential_id: 'token', name: 'web' });
    const out = await k8sRolloutRestartAction.run(ctx);
    const patch = api.recorded.at(-1)!;
    expect(patch).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/prod/deployments/web', contentType: 'application/strategic-merge-patch+json', user: 'token' });
    expect(patch.body).toEqual({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': out.restarted_at } } } } });
    expect(out.restarted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(out).toMatchObject({ name: 'web', namespace: 'prod', kind: 'Deployment', generation: 5, rolled_out: false });
  });

  it('waits for the rollout: new generation observed, replicas updated, old ones gone, all available', async () => {
    const { ctx, lines } = ctxOf({ credential_id: 'cert', name: 'web', wait: true, poll_seconds: 1 });
    const out = await k8sRolloutRestartAction.run(ctx);
    expect(out.rolled_out).toBe(true);
    expect(out.status).toMatchObject({ replicas: 3, updated_replicas: 3, available_replicas: 3 });
    expect(api.recorded.at(-1)).toMatchObject({ method: 'GET', user: `cert:${CLIENT_CN}` });
    expect(lines.map((l) => l.message)).toEqual([
      'restarted Deployment prod/web',
      'waiting for rollout: the controller has not seen the new spec yet',
      'waiting for rollout: 1 old replicas pending termination',
      'rollout of Deployment prod/web finished',
    ]);
  });

  it('restarts a DaemonSet in the namespace the step names, and sees it rolled out', async () => {
    const out = await k8sRolloutRestartAction.run(ctxOf({ credential_id: 'token', kind: 'daemonset' as const, name: 'node-exporter', namespace: 'monitoring', wait: true }).ctx);
    expect(api.recorded.slice(-2).map((r) => `${r.method} ${r.path} ${r.contentType ?? ''}`.trim())).toEqual([
      'PATCH /apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter application/strategic-merge-patch+json',
      'GET /apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter',
    ]);
    expect(out).toMatchObject({ kind: 'DaemonSet', namespace: 'monitoring', generation: 9, rolled_out: true, status: { replicas: 4, available_replicas: 4 } });
  });

  it('fails when the progress deadline passed, and when the wait times out', async () => {
    await expect(k8sRolloutRestartAction.run(ctxOf({ credential_id: 'token', name: 'stuck', wait: true }).ctx)).rejects.toMatchObject({
      code: 'kubernetes_rollout_failed', retryable: false, message: expect.stringContaining('ReplicaSet "stuck-7d9f" has timed out progressing.'),
    });
    await expect(k8sRolloutRestartAction.run(ctxOf({ credential_id: 'token', name: 'slow', wait: true, timeout_seconds: 1, poll_seconds: 1 }).ctx)).rejects.toMatchObject({
      code: 'kubernetes_rollout_timeout', retryable: false, message: 'rollout did not finish within 1s: the controller has not seen the new spec yet',
    });
  });

  it('stops waiting when the step is cancelled', async () => {
    const abort = new AbortController();
    api.state.onGet = () => abort.abort();
    const { ctx } = ctxOf({ credential_id: 'token', name: 'slow', wait: true, timeout_seconds: 600, poll_seconds: 60 });
    try {
      await expect(k8sRolloutRestartAction.run({ ...ctx, signal: abort.signal })).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      api.state.onGet = undefined;
    }
  });

  it.each([
    ['nope', 'prod', 'kubernetes_not_found', 'Kubernetes API answered HTTP 404: deployments.apps "nope" not found', false],
    ['web', 'kube-system', 'kubernetes_forbidden', 'cannot patch resource "deployments"', false],
    ['locked', 'prod', 'kubernetes_conflict', 'Kubernetes API answered HTTP 409: Operation cannot be fulfilled', false],
    ['web', 'busy', 'kubernetes_too_many_requests', 'asked us to try again later', true],
    ['web', 'broken', 'kubernetes_internal_error', 'etcdserver: request timed out', true],
  ])('maps the API server\'s Status for %s in %s to %s', async (name, namespace, code, message, retryable) => {
    const err = await k8sRolloutRestartAction.run(ctxOf({ credential_id: 'token', name, namespace }).ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, retryable, message: expect.stringContaining(message) });
    if (namespace === 'busy') expect(err).toMatchObject({ retryAfterMs: 3000 });
  });

  it('refuses a bad token with the API server\'s 401, the token nowhere in the error', async () => {
    const err = await k8sRolloutRestartAction.run(ctxOf({ credential_id: 'wrong-token', name: 'web' }).ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'kubernetes_unauthorized', retryable: false });
    expect(JSON.stringify(err) + String(err)).not.toContain('revoked-service-account-token');
  });
});

describe('k8s_scale', () => {
  it('reads the scale subresource and merge-patches spec.replicas', async () => {
    const { ctx, lines } = ctxOf({ credential_id: 'token', name: 'web', replicas: 5 });
    const out = await k8sScaleAction.run(ctx);
    expect(out).toEqual({ name: 'web', namespace: 'prod', kind: 'Deployment', previous_replicas: 3, replicas: 5, current_replicas: 3 });
    const [get, patch] = api.recorded.slice(-2);
    expect(get).toMatchObject({ method: 'GET', path: '/apis/apps/v1/namespaces/prod/deployments/web/scale' });
    expect(patch).toMatchObject({ method: 'PATCH', path: '/apis/apps/v1/namespaces/prod/deployments/web/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } });
    expect(lines.at(-1)?.message).toBe('scaled Deployment prod/web from 3 to 5 replicas');
    await k8sScaleAction.run(ctxOf({ credential_id: 'token', name: 'web', replicas: 3 }).ctx);
  });

  it('fails with not found for an unknown deployment', async () => {
    await expect(k8sScaleAction.run(ctxOf({ credential_id: 'token', name: 'ghost', replicas: 1 }).ctx)).rejects.toMatchObject({ code: 'kubernetes_not_found' });
  });
});

describe('k8s_get', () => {
  it('gets one deployment with its replica counts and conditions', async () => {
    const out = await k8sGetAction.run(ctxOf({ credential_id: 'token', kind: 'deployment' as const, name: 'catalog' }).ctx);
    expect(out.items[0]).toEqual({
      name: 'catalog', namespace: 'prod', kind: 'Deployment', labels: { app: 'catalog' }, created_at: '2026-11-01T00:00:00Z',
      status: { replicas: 3, ready_replicas: 3, updated_replicas: 3, available_replicas: 3, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] },
    });
  });

  it('lists pods by label selector, following continue tokens page by page', async () => {
    const before = api.recorded.length;
    const out = await k8sGetAction.run(ctxOf({ credential_id: 'token', kind: 'pod' as const, label_selector: 'app=web' }).ctx);
    expect(out.count).toBe(104);
    expect(out.truncated).toBe(false);
    const pages = api.recorded.slice(before);
    expect(pages.map((r) => [r.path, r.query.get('labelSelector'), r.query.get('limit'), r.query.get('continue')])).toEqual([
      ['/api/v1/namespaces/prod/pods', 'app=web', '100', null],
      ['/api/v1/namespaces/prod/pods', 'app=web', '100', '100'],
    ]);
    expect(out.items[0]).toMatchObject({ name: 'web-1', kind: 'Pod', status: { phase: 'Running', ready_containers: '1/2', restarts: 2, node: 'node-a' } });
  });

  it('stops at max_items and says so', async () => {
    const out = await k8sGetAction.run(ctxOf({ credential_id: 'token', kind: 'pod' as const, all_namespaces: true, max_items: 30 }).ctx);
    expect(out).toMatchObject({ count: 30, truncated: true });
    expect(api.recorded.at(-1)).toMatchObject({ path: '/api/v1/pods' });
  });

  it('refuses a name with selectors, and cannot read Secrets', async () => {
    await expect(k8sGetAction.run(ctxOf({ credential_id: 'token', kind: 'pod' as const, name: 'web-1', label_selector: 'app=web' }).ctx)).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/name' } });
    expect([...Value.Errors(k8sGetAction.params, { credential_id: 'token', kind: 'secret' })].map((e) => e.path)).toContain('/kind');
  });
});

describe('k8s_logs', () => {
  it('reads the tail of a container log with tailLines, timestamps and a byte limit', async () => {
    const out = await k8sLogsAction.run(ctxOf({ credential_id: 'token', pod: 'web-2', container: 'app', tail_lines: 3, timestamps: true }).ctx);
    expect(out).toEqual({ pod: 'web-2', namespace: 'prod', container: 'app', lines: ['2026-12-05T10:00:00Z app line 4998', '2026-12-05T10:00:00Z app line 4999', '2026-12-05T10:00:00Z app line 5000'], bytes: 105, truncated: false });
    const req = api.recorded.at(-1)!;
    expect(req.path).toBe('/api/v1/namespaces/prod/pods/web-2/log');
    expect(Object.fromEntries(req.query)).toEqual({ tailLines: '3', limitBytes: '262144', container: 'app', timestamps: 'true' });
  });

  it('is bounded by max_bytes', async () => {
    const out = await k8sLogsAction.run(ctxOf({ credential_id: 'token', pod: 'web-2', container: 'sidecar', tail_lines: 5000, max_bytes: 1024 }).ctx);
    expect(out.bytes).toBe(1024);
    expect(out.truncated).toBe(true);
  });

  it('passes on the API server\'s message when the container is not named', async () => {
    await expect(k8sLogsAction.run(ctxOf({ credential_id: 'token', pod: 'web-2' }).ctx)).rejects.toMatchObject({
      code: 'kubernetes_bad_request', retryable: false, message: 'Kubernetes API answered HTTP 400: a container name must be specified for pod web-2, choose one of: [app sidecar]',
    });
  });
});

describe('kubernetes credentials and the egress policy', () => {
  it('refuses a server whose certificate the kubeconfig CA did not sign, before sending anything', async () => {
    const before = api.recorded.length;
    await expect(k8sGetAction.run(ctxOf({ credential_id: 'other-ca', kind: 'deployment' as const, name: 'web' }).ctx)).rejects.toMatchObject({ code: 'network_error' });
    expect(api.recorded).toHaveLength(before);
  });

  it('refuses exec plugins and file paths in the kubeconfig', async () => {
    await expect(k8sGetAction.run(ctxOf({ credential_id: 'exec', kind: 'pod' as const }).ctx)).rejects.toMatchObject({
      code: 'credential_invalid', message: expect.stringContaining('kubeconfig field exec is not supported'),
    });
  });

  it('is refused by the egress guard for a host not allowed, and by the credential binding', async () => {
    const before = api.recorded.length;
    const strict = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(k8sScaleAction.run(ctxOf({ credential_id: 'token', name: 'web', replicas: 0 }, strict).ctx)).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(k8sScaleAction.run(ctxOf({ credential_id: 'pinned-elsewhere', name: 'web', replicas: 0 }).ctx)).rejects.toMatchObject({ code: 'credential_host_denied' });
    expect(api.recorded).toHaveLength(before);
  });

  it('refuses a credential of another type', async () => {
    await expect(k8sGetAction.run(testContext({ credential_id: 'x', kind: 'pod' as const }, [{ id: 'x', type: 'github', data: { token: 't' } }]).ctx)).rejects.toMatchObject({ code: 'credential_type' });
  });
});

describe('kubernetes params', () => {
  it.each([
    ['k8s_rollout_restart', { name: 'web/../../secrets' }, '/name', k8sRolloutRestartAction],
    ['k8s_rollout_restart', { name: 'web', namespace: 'Prod NS' }, '/namespace', k8sRolloutRestartAction],
    ['k8s_rollout_restart', { name: 'web', kind: 'pod' }, '/kind', k8sRolloutRestartAction],
    ['k8s_scale', { name: 'web', replicas: -1 }, '/replicas', k8sScaleAction],
    ['k8s_logs', { pod: 'web-1', max_bytes: 1e9 }, '/max_bytes', k8sLogsAction],
    ['k8s_get', { kind: 'pod', name: '..' }, '/name', k8sGetAction],
  ] as const)('%s rejects %j at %s', (_id, params, path, action) => {
    const errors = [...Value.Errors(action.params, { credential_id: 'token', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans without contacting the cluster', () => {
    expect(k8sRolloutRestartAction.plan?.(testContext({ credential_id: 'token', name: 'web', namespace: 'prod', wait: true }).ctx)).toBe('restart the pods of deployment prod/web, waiting up to 300s for the rollout');
    expect(k8sScaleAction.plan?.(testContext({ credential_id: 'token', name: 'web', replicas: 0 }).ctx)).toBe('scale deployment (default namespace)/web to 0 replicas');
    expect(k8sGetAction.plan?.(testContext({ credential_id: 'token', kind: 'pod' as const, label_selector: 'app=web' }).ctx)).toBe('list pods in (default namespace) with labels app=web');
    expect(k8sLogsAction.plan?.(testContext({ credential_id: 'token', pod: 'web-1', container: 'app' }).ctx)).toBe('read the last 100 log lines of pod (default namespace)/web-1 container app');
  });
});
