import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ItwError } from '../../model/errors.js';
import type { TriggerType } from '../../nodes/trigger.js';
import { normalPath, parseJson } from '../../triggers/ingress.js';
import { INGRESS_SECURITY_HEADERS } from '../../triggers/ingress-response-headers.js';
import type { IngressRequest, IngressResponse } from '../../triggers/trigger-source.js';
import type { Api, ApiDeps } from '../types.js';

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const tags = ['trigger ingress'];

function toIngress(req: FastifyRequest, path: string): IngressRequest {
  const headers: Record<string, string | undefined> = {};
  for (const k of Object.keys(req.headers)) {
    const v = req.headers[k];
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) query[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  const raw = req.body;
  const principal = req.principal;
  return {
    method: req.method, path, headers, query, rawBody: Buffer.isBuffer(raw) ? raw : Buffer.alloc(0),
    principal: principal ? { id: principal.id, name: principal.name, role: principal.role } : undefined,
  };
}

function send(reply: FastifyReply, r: IngressResponse): FastifyReply {
  void reply.code(r.status);
  for (const [k, v] of Object.entries(r.headers ?? {})) void reply.header(k, v);
  if (typeof r.body === 'string') return reply.type(reply.getHeader('content-type') ? String(reply.getHeader('content-type')) : 'text/plain; charset=utf-8').send(r.body);
  if (Buffer.isBuffer(r.body)) return reply.send(r.body);
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(r.body ?? null));
}

/**
 * HTTP ingress of triggers: webhooks, custom API endpoints, alert and deployment receivers, internal
 * events. They live in their own plugin scope whose only body parser keeps the raw bytes, because
 * signatures (GitHub, Grafana, HMAC webhooks) are computed over exactly those bytes. Webhook, alert
 * and deployment routes need no API key (each trigger checks its own auth); custom endpoints and
 * internal events do.
 */
export function triggerIngressRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;
  void f.register((scope: FastifyInstance, _opts, done) => {
    // Every answer of this scope, errors included, is a sandboxed document the browser will not sniff:
    // a workflow echoing `<script>` as text/html cannot run it on the UI's origin. Set last, so nothing overrides it.
    // A callback hook, not an async one: no promise and microtask per answer.
    scope.addHook('onSend', (_req, reply, payload, done) => {
      void reply.headers(INGRESS_SECURITY_HEADERS);
      done(null, payload);
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, next) => next(null, body));

    const ingress = (type: TriggerType, prefix: string, keyed: (req: FastifyRequest, path: string) => string) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const path = normalPath((req.params as { '*'?: string })['*'] ?? '');
        const source = app.triggers.source(type);
        const key = keyed(req, path);
        let targets = app.triggers.targets(type, key);
        if (targets.length === 0 && type === 'webhook') targets = app.triggers.targets(type, `* ${path}`);
        if (!source?.handle || targets.length === 0) throw new ItwError('not_found', `no active ${type} trigger at ${req.method} ${prefix}${path}`);
        return send(reply, await source.handle(toIngress(req, path), targets));
      };

    scope.route({
      method: [...ALL_METHODS], url: '/webhooks/*', schema: { tags, summary: 'Webhook trigger ingress (auth per trigger: none, header token, basic, HMAC-SHA256)' },
      config: { public: true }, handler: ingress('webhook', '/webhooks/', (req, path) => `${req.method} ${path}`),
    });
    scope.route({
      method: [...ALL_METHODS], url: '/api/custom/*', schema: { tags, summary: 'Custom API endpoint: runs a workflow synchronously and answers with its output' },
      config: { minRole: 'viewer' }, handler: ingress('api_endpoint', '/api/custom/', (req, path) => `${req.method} ${path}`),
    });
    scope.route({
      method: 'POST', url: '/alerts/*', schema: { tags, summary: 'Alert ingestion: Prometheus Alertmanager (v4), Grafana, PagerDuty Events v2' },
      config: { public: true }, handler: ingress('alert', '/alerts/', (_req, path) => path),
    });
    scope.route({
      method: 'POST', url: '/deployments/*', schema: { tags, summary: 'GitHub (X-Hub-Signature-256) and GitLab (X-Gitlab-Token) push and deployment events' },
      config: { public: true }, handler: ingress('deployment', '/deployments/', (_req, path) => path),
    });
    scope.route({
      method: 'POST', url: '/automation/events/:name', schema: { tags, summary: 'Emit an internal event: starts every event trigger (source internal) whose name matches' },
      config: { minRole: 'operator' },
      handler: async (req, reply) => {
        const name = (req.params as { name: string }).name;
        if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(name)) throw new ItwError('bad_request', 'event names are 1-200 of A-Z a-z 0-9 _ . : -');
        const r = toIngress(req, name);
        const data = parseJson(r);
        const key = r.headers['idempotency-key'];
        const executions = await app.triggers.emitEvent(name, data, key !== undefined && key !== '' ? `${name}:${key}` : null);
        return reply.code(202).send({ name, executions });
      },
    });
    done();
  });
}
