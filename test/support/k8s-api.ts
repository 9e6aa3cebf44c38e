// Test support (not a test itself): an HTTPS server that answers like the Kubernetes API server.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './tls-certs.js';

export const K8S_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.k8s-good-service-account-token';
export const CLIENT_CN = 'itw-operator';

export interface K8sRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: unknown;
  /** Who the server authenticated: `token` or `cert:<CN>`. */
  readonly user: string;
}

type Obj = Record<string, unknown>;

export interface K8sState {
  readonly deployments: Map<string, Obj>;
  readonly pods: Obj[];
  /** GETs of a deployment after its last patch: the fake rollout advances one step per GET. */
  readonly polls: Map<string, number>;
  onGet?: ((name: string) => void) | undefined;
}

function status(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function deployment(name: string, replicas: number, generation = 4): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'prod', generation, labels: { app: name }, creationTimestamp: '2026-11-01T00:00:00Z' },
    spec: { replicas, template: { metadata: { labels: { app: name } } } },
    status: { observedGeneration: generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] },
  };
}

function pod(i: number): Obj {
  return {
    kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'prod', labels: { app: i % 5 === 0 ? 'cache' : 'web' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'app' }, { name: 'sidecar' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2 }, { name: 'sidecar', ready: i !== 1, restartCount: 0 }], conditions: [{ type: 'Ready', status: i !== 1 ? 'True' : 'False' }] },
  };
}

export function initialState(): K8sState {
  return {
    deployments: new Map([['web', deployment('web', 3)], ['stuck', deployment('stuck', 2)], ['slow', deployment('slow', 2)], ['catalog', deployment('catalog', 3)], ['locked', deployment('locked', 1)]]),
    pods: Array.from({ length: 130 }, (_, i) => pod(i)),
    polls: new Map(),
  };
}

/** What a deployment looks like on the n-th GET after a restart patch: new spec unseen, then half rolled, then done. */
function rolling(d: Obj, n: number, name: string): Obj {
  const meta = d['metadata'] as Obj;
  const spec = d['spec'] as { replicas: number };
  const generation = meta['generation'] as number;
  if (name === 'stuck') {
    return { ...d, status: { observedGeneration: generation, replicas: 3, updatedReplicas: 1, availableReplicas: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "stuck-7d9f" has timed out progressing.' }] } };
  }
  if (name === 'slow' || n === 0) return { ...d, status: { observedGeneration: generation - 1, replicas: spec.replicas, updatedReplicas: 0, availableReplicas: spec.replicas } };
  if (n === 1) return { ...d, status: { observedGeneration: generation, replicas: spec.replicas + 1, updatedReplicas: spec.replicas, readyReplicas: spec.replicas, availableReplicas: spec.replicas } };
  return { ...d, status: { observedGeneration: generation, replicas: spec.replicas, updatedReplicas: spec.replicas, readyReplicas: spec.replicas, availableReplicas: spec.replicas } };
}

function route(req: K8sRequest, res: ServerResponse, state: K8sState, recorded: K8sRequest[]): void {
  recorded.push(req);
  const ns = /^\/(?:api\/v1|apis\/apps\/v1)\/namespaces\/([^/]+)\//.exec(req.path)?.[1];
  if (ns === 'kube-system') {
    return status(res, 403, 'Forbidden', `deployments.apps is forbidden: User "system:serviceaccount:ops:itw" cannot ${req.method.toLowerCase()} resource "deployments" in API group "apps" in the namespace "kube-system"`);
  }
  if (ns === 'busy') return status(res, 429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', { 'retry-after': '3' });
  if (ns === 'broken') return status(res, 500, 'InternalError', 'Internal error occurred: etcdserver: request timed out');
  if (req.path === '/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter') {
    if (req.method === 'PATCH' && req.contentType !== 'application/strategic-merge-patch+json') return status(res, 415, 'UnsupportedMediaType', 'unsupported patch type');
    return send(res, {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-exporter', namespace: 'monitoring', generation: 9 },
      status: { observedGeneration: 9, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberReady: 4, numberAvailable: 4 },
    });
  }
  const dep = /^\/apis\/apps\/v1\/namespaces\/prod\/deployments\/([^/]+)(\/scale)?$/.exec(req.path);
  if (dep) {
    const [, name, scale] = dep as unknown as [string, string, string | undefined];
    const d = state.deployments.get(name);
    if (!d) return status(res, 404, 'NotFound', `deployments.apps "${name}" not found`);
    if (req.method === 'PATCH') {
      const want = scale ? 'application/merge-patch+json' : 'application/strategic-merge-patch+json';
      if (req.contentType !== want) return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      if (name === 'locked') return status(res, 409, 'Conflict', 'Operation cannot be fulfilled');
      const body = req.body as { spec?: { replicas?: unknown; template?: { metadata?: { annotations?: Record<string, string> } } } };
      const spec = d['spec'] as Obj;
      if (scale) {
        if (typeof body.spec?.replicas !== 'number') return status(res, 422, 'Invalid', 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value');
        spec['replicas'] = body.spec.replicas;
      } else {
        const annotations = body.spec?.template?.metadata?.annotations;
        if (annotations === undefined) return status(res, 422, 'Invalid', 'no annotations');
        (spec['template'] as Obj)['metadata'] = { ...((spec['template'] as Obj)['metadata'] as Obj), annotations };
        (d['metadata'] as Obj)['generation'] = ((d['metadata'] as Obj)['generation'] as number) + 1;
        state.polls.set(name, 0);
      }
    }
    if (scale) {
      const r = (d['spec'] as Obj)['replicas'];
      return send(res, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name, namespace: 'prod' }, spec: { replicas: r }, status: { replicas: req.method === 'PATCH' ? 3 : r, selector: `app=${name}` } });
    }
    if (req.method === 'GET' && state.polls.has(name)) {
      const n = state.polls.get(name)!;
      state.polls.set(name, n + 1);
      state.onGet?.(name);
      return send(res, rolling(d, n, name));
    }
    return send(res, req.method === 'PATCH' && state.polls.has(name) ? rolling(d, 0, name) : d);
  }
  const log = /^\/api\/v1\/namespaces\/prod\/pods\/([^/]+)\/log$/.exec(req.path);
  if (log) {
    const p = state.pods.find((x) => (x['metadata'] as Obj)['name'] === log[1]);
    if (!p) return status(res, 404, 'NotFound', `pods "${log[1]}" not found`);
    const container = req.query.get('container');
    if (container === null) return status(res, 400, 'BadRequest', `a container name must be specified for pod ${log[1]}, choose one of: [app sidecar]`);
    const tail = Number(req.query.get('tailLines') ?? '1000');
    const limit = Number(req.query.get('limitBytes') ?? '1e9');
    const all = Array.from({ length: 5000 }, (_, i) => `${req.query.get('timestamps') === 'true' ? '2026-12-05T10:00:00Z ' : ''}${container} line ${i + 1}`);
    const text = `${all.slice(-tail).join('\n')}\n`.slice(0, limit);
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end(text);
  }
  if (req.path === '/api/v1/namespaces/prod/pods' || req.path === '/api/v1/pods') {
    const selector = req.query.get('labelSelector');
    const match = selector ? selector.split(',').map((s) => s.split('=')) : [];
    const found = state.pods.filter((p) => match.every(([k, v]) => ((p['metadata'] as Obj)['labels'] as Record<string, string>)[k!] === v));
    const start = Number(req.query.get('continue') ?? '0');
    const limit = Number(req.query.get('limit') ?? '0') || found.length;
    const page = found.slice(start, start + limit);
    const more = start + limit < found.length;
    return send(res, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '991', ...(more ? { continue: String(start + limit), remainingItemCount: found.length - start - limit } : {}) }, items: page });
  }
  status(res, 404, 'NotFound', 'the server could not find the requested resource');
}

/** Starts the fake on 127.0.0.1 with the PKI's server certificate; it asks for (but does not require) a client certificate. */
export async function k8sServer(pki: TestPki) {
  const recorded: K8sRequest[] = [];
  const state = initialState();
  const server: Server = createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: false }, (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket as TLSSocket;
      const subjectCn: unknown = socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
      const cn = typeof subjectCn === 'string' ? subjectCn : undefined;
      const bearer = req.headers.authorization === `Bearer ${K8S_TOKEN}`;
      if (!bearer && cn !== CLIENT_CN) return status(res, 401, 'Unauthorized', 'Unauthorized');
      const url = new URL(req.url ?? '/', 'https://k8s');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return status(res, 400, 'BadRequest', 'invalid JSON');
      }
      route({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body, user: bearer ? 'token' : `cert:${cn}` }, res, state, recorded);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    recorded,
    state,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A kubeconfig for the fake: embedded CA, and a token or a client certificate. */
export function kubeconfig(server: string, ca: string, user: { token: string } | { cert: string; key: string }, extra: { namespace?: string; userExtra?: string } = {}): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const userLines = 'token' in user ? `    token: ${user.token}` : `    client-certificate-data: ${b64(user.cert)}\n    client-key-data: ${b64(user.key)}`;
  return `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(ca)}
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: itw
${extra.namespace ? `    namespace: ${extra.namespace}\n` : ''}users:
- name: itw
  user:
${userLines}
${extra.userExtra ?? ''}`;
}
