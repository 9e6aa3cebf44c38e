import { Type } from '@sinclair/typebox';
import { bindingOf, type CredentialBinding } from '../actions/http/credential-binding.js';
import { httpRequest, httpStatusError } from '../actions/http/http-client.js';
import type { ActionServices } from '../actions/define-action.js';
import type { NodeHandler } from '../engine/node-handler.js';
import type { ResolvedCredential } from '../model/credentials.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export const apiCallSpec: NodeTypeSpec = {
  type: 'api_call',
  label: 'API Call',
  description: 'Makes an HTTP request; non-2xx answers fail the node (429/5xx retryable) unless fail_on_status is false.',
  configSchema: Type.Object(
    {
      method: Type.Optional(Type.Union(METHODS.map((m) => Type.Literal(m)), { default: 'GET' })),
      url: Type.String({ minLength: 1 }),
      headers: Type.Optional(Type.Record(Type.String(), Type.String())),
      query: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
      body: Type.Optional(Type.Unknown()),
      timeout_seconds: Type.Optional(Type.Number({ minimum: 0.001, maximum: 3600, default: 30 })),
      fail_on_status: Type.Optional(Type.Boolean({ default: true })),
      credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential' })),
      response_type: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('text')])),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

const AUTH_TYPES = ['http_bearer', 'http_basic', 'http_header'];

/** The header an HTTP auth credential adds to the request. */
export function authHeader(cred: ResolvedCredential): Record<string, string> {
  const d = cred.data;
  switch (cred.type) {
    case 'http_bearer':
      return { Authorization: `Bearer ${d['token'] ?? ''}` };
    case 'http_basic':
      return { Authorization: `Basic ${Buffer.from(`${d['username'] ?? ''}:${d['password'] ?? ''}`).toString('base64')}` };
    case 'http_header':
      return { [d['name'] ?? 'Authorization']: d['value'] ?? '' };
    default:
      return {};
  }
}

export const apiCallNode = (services: ActionServices): NodeHandler => ({
  spec: apiCallSpec,
  inline: false,
  async run(ctx) {
    const c = ctx.config;
    const headers = { ...((c['headers'] as Record<string, string> | undefined) ?? {}) };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['Idempotency-Key'] = ctx.idempotencyKey;
    let credential: CredentialBinding | undefined;
    if (typeof c['credential_id'] === 'string') {
      const cred = await ctx.credentials.get(c['credential_id'], AUTH_TYPES);
      Object.assign(headers, authHeader(cred));
      credential = bindingOf(cred);
    }
    const res = await httpRequest({
      method: typeof c['method'] === 'string' ? c['method'] : 'GET',
      url: String(c['url']),
      headers,
      ...(c['query'] ? { query: c['query'] as Record<string, string> } : {}),
      ...(c['body'] !== undefined ? { body: c['body'] } : {}),
      timeoutMs: (typeof c['timeout_seconds'] === 'number' ? c['timeout_seconds'] : 30) * 1000,
      signal: ctx.signal,
      egress: services.egress,
      ...(c['response_type'] ? { responseType: c['response_type'] as 'auto' | 'json' | 'text' } : {}),
      ...(credential ? { credential } : {}),
    });
    if (c['fail_on_status'] !== false) {
      const err = httpStatusError(res);
      if (err) throw err;
    }
    ctx.log.log('info', `${typeof c['method'] === 'string' ? c['method'] : 'GET'} ${res.url} → ${res.status}`, { status: res.status, duration_ms: res.duration_ms });
    return { kind: 'done', output: { status: res.status, headers: res.headers, body: res.body, duration_ms: res.duration_ms }, handle: 'out' };
  },
});
