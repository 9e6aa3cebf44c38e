import { Type } from '@sinclair/typebox';
import { httpRequest, httpStatusError } from '../actions/http/http-client.js';
import type { NodeHandler } from '../engine/node-handler.js';
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
      response_type: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('text')])),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export const apiCallNode: NodeHandler = {
  spec: apiCallSpec,
  inline: false,
  async run(ctx) {
    const c = ctx.config;
    const headers = { ...((c['headers'] as Record<string, string> | undefined) ?? {}) };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['Idempotency-Key'] = ctx.idempotencyKey;
    const res = await httpRequest({
      method: typeof c['method'] === 'string' ? c['method'] : 'GET',
      url: String(c['url']),
      headers,
      ...(c['query'] ? { query: c['query'] as Record<string, string> } : {}),
      ...(c['body'] !== undefined ? { body: c['body'] } : {}),
      timeoutMs: (typeof c['timeout_seconds'] === 'number' ? c['timeout_seconds'] : 30) * 1000,
      signal: ctx.signal,
      ...(c['response_type'] ? { responseType: c['response_type'] as 'auto' | 'json' | 'text' } : {}),
    });
    if (c['fail_on_status'] !== false) {
      const err = httpStatusError(res);
      if (err) throw err;
    }
    ctx.log.log('info', `${typeof c['method'] === 'string' ? c['method'] : 'GET'} ${res.url} → ${res.status}`, { status: res.status, duration_ms: res.duration_ms });
    return { kind: 'done', output: { status: res.status, headers: res.headers, body: res.body, duration_ms: res.duration_ms }, handle: 'out' };
  },
};
