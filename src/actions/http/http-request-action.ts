import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { describeRequest, hasHeader, httpRequest, httpStatusError } from './http-client.js';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const RESPONSE_TYPES = ['auto', 'json', 'text'] as const;
const DEFAULT_TIMEOUT_SECONDS = 30;

// Defaults are also applied in `run`: the params may reach us without schema defaults filled in.
const HttpRequestParams = Type.Object(
  {
    method: Type.Optional(Type.Union(HTTP_METHODS.map((m) => Type.Literal(m)), { default: 'GET' })),
    url: Type.String({ minLength: 1, description: 'Absolute http:// or https:// URL' }),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    query: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    body: Type.Optional(Type.Unknown({ description: 'Objects and arrays are sent as JSON; strings as is' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: DEFAULT_TIMEOUT_SECONDS })),
    fail_on_status: Type.Optional(
      Type.Boolean({ default: true, description: 'Fail the step on 4xx/5xx (408, 429 and 5xx are retryable)' }),
    ),
    response_type: Type.Optional(Type.Union(RESPONSE_TYPES.map((t) => Type.Literal(t)), { default: 'auto' })),
  },
  { additionalProperties: false },
);

const HttpRequestOutput = Type.Object({
  status: Type.Integer(),
  headers: Type.Record(Type.String(), Type.String()),
  body: Type.Unknown(),
  duration_ms: Type.Number(),
});

export const httpRequestAction = defineAction({
  id: 'http_request',
  category: 'utility',
  name: 'HTTP Request',
  description: 'Calls an HTTP(S) endpoint and returns its status, headers and parsed body.',
  params: HttpRequestParams,
  output: HttpRequestOutput,
  async run(ctx) {
    const p = ctx.params;
    const method = p.method ?? 'GET';
    const headers = { ...p.headers };
    // Lets the remote side drop a repeat when the engine re-dispatches the same attempt.
    if (!hasHeader(headers, 'idempotency-key')) headers['Idempotency-Key'] = ctx.idempotencyKey;
    const res = await httpRequest({
      method,
      url: p.url,
      headers,
      query: p.query,
      body: p.body,
      timeoutMs: (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      signal: ctx.signal,
      egress: ctx.services.egress,
      responseType: p.response_type ?? 'auto',
    });
    ctx.log.log('info', `${describeRequest(method, res.url)} → ${res.status}`, { status: res.status, duration_ms: res.duration_ms });
    if (p.fail_on_status ?? true) {
      const err = httpStatusError(res);
      if (err) throw err;
    }
    return { status: res.status, headers: res.headers, body: res.body, duration_ms: res.duration_ms };
  },
  plan(ctx) {
    return describeRequest(ctx.params.method ?? 'GET', ctx.params.url);
  },
});
