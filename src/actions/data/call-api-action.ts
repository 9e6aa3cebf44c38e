import { setTimeout as delay } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { describeRequest, hasHeader, httpRequest, httpStatusError, type HttpResponse } from '../http/http-client.js';
import { httpAuth } from './http-auth.js';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const RESPONSE_TYPES = ['auto', 'json', 'text'] as const;
const DEFAULTS = { timeout_seconds: 30, max_retries: 2 } as const;
/** Exponential backoff 500 ms, 1 s, 2 s… capped here. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/**
 * Waits longer than this are not slept through inside the step (a sleeping step holds a lease and
 * does not survive a restart): the error goes to the engine with retryAfterMs, whose retries are durable.
 */
const MAX_INLINE_WAIT_MS = 30_000;

const CallApiParams = Type.Object(
  {
    method: Type.Optional(Type.Union(HTTP_METHODS.map((m) => Type.Literal(m)), { default: 'GET' })),
    url: Type.String({ minLength: 1, description: 'Absolute http:// or https:// URL' }),
    credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    query: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    body: Type.Optional(Type.Unknown({ description: 'Objects and arrays are sent as JSON; strings as is' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: DEFAULTS.timeout_seconds, description: 'Per attempt' })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, default: DEFAULTS.max_retries, description: 'Extra attempts on 408/429/5xx, honouring Retry-After' })),
    fail_on_status: Type.Optional(Type.Boolean({ default: true })),
    response_type: Type.Optional(Type.Union(RESPONSE_TYPES.map((t) => Type.Literal(t)), { default: 'auto' })),
  },
  { additionalProperties: false },
);

const CallApiOutput = Type.Object({
  status: Type.Integer(),
  headers: Type.Record(Type.String(), Type.String()),
  body: Type.Unknown(),
  attempts: Type.Integer(),
});

function backoffMs(retry: number, err: ItwError): number {
  const asked = err instanceof RetryableError ? err.retryAfterMs : undefined;
  return asked ?? Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
}

/** The status error with how many attempts were made, keeping its class and Retry-After. */
function withAttempts(err: ItwError, attempts: number): ItwError {
  const details = { ...err.details, attempts };
  if (err instanceof RetryableError) {
    return new RetryableError(err.code, err.message, err.retryAfterMs === undefined ? { details } : { details, retryAfterMs: err.retryAfterMs });
  }
  return new NonRetryableError(err.code, err.message, { details });
}

export const callApiAction = defineAction({
  id: 'call_api',
  category: 'data',
  name: 'Call API',
  description: 'Calls an HTTP API with credential-based auth, retrying 429 and 5xx answers (honouring Retry-After).',
  params: CallApiParams,
  output: CallApiOutput,
  async run(ctx) {
    const p = ctx.params;
    const method = p.method ?? 'GET';
    const maxRetries = p.max_retries ?? DEFAULTS.max_retries;
    // Credential headers last: a template cannot override the credential's Authorization.
    const auth = await httpAuth(ctx.credentials, p.credential_id);
    const headers = { ...p.headers, ...auth?.headers };
    if (!hasHeader(headers, 'idempotency-key')) headers['Idempotency-Key'] = ctx.idempotencyKey;
    for (let attempt = 1; ; attempt++) {
      const res: HttpResponse = await httpRequest({
        method,
        url: p.url,
        headers,
        query: p.query,
        body: p.body,
        timeoutMs: (p.timeout_seconds ?? DEFAULTS.timeout_seconds) * 1000,
        signal: ctx.signal,
        egress: ctx.services.egress,
        responseType: p.response_type ?? 'auto',
        ...(auth ? { credential: auth.credential } : {}),
      });
      ctx.log.log('info', `${describeRequest(method, res.url)} → ${res.status} (attempt ${attempt})`, { status: res.status, attempt });
      const err = httpStatusError(res);
      const output = { status: res.status, headers: res.headers, body: res.body, attempts: attempt };
      if (!err) return output;
      const wait = backoffMs(attempt - 1, err);
      if (!err.retryable || attempt > maxRetries || wait > MAX_INLINE_WAIT_MS) {
        if (!(p.fail_on_status ?? true)) return output;
        throw withAttempts(err, attempt);
      }
      await delay(wait, undefined, { signal: ctx.signal }).catch((cause: unknown) => {
        throw new ItwError('cancelled', 'request cancelled while waiting to retry', { cause });
      });
    }
  },
  plan(ctx) {
    const auth = ctx.params.credential_id ? ` with credential ${ctx.params.credential_id}` : '';
    return `${describeRequest(ctx.params.method ?? 'GET', ctx.params.url)}${auth}`;
  },
});
