import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { ItwError, RetryableError } from '../../model/errors.js';
import { describeRequest, httpRequest, type HttpResponse } from '../http/http-client.js';
import { httpAuth } from '../data/http-auth.js';
import { boundedTest, compileRegex } from './bounded-regex.js';
import { STATUS_SPEC_PATTERN, statusMatcher } from './expected-status.js';

const ID = 'http_check';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'] as const;
const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_EXPECTED = ['2xx'];
/** A health page is small; a bigger body is read up to here and then fails the check. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Failures that are the workflow's configuration or policy, not the health of the target: they fail the step. */
const NOT_A_CHECK_RESULT = new Set(['egress_denied', 'credential_host_denied', 'invalid_url', 'invalid_request', 'cancelled', 'credential_type', 'invalid_credential']);

const HttpCheckParams = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'Absolute http:// or https:// URL to check' }),
    method: Type.Optional(Type.Union(METHODS.map((m) => Type.Literal(m)), { default: 'GET', description: 'HTTP method' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra request headers' })),
    body: Type.Optional(Type.Unknown({ description: 'Request body: objects as JSON, strings as is' })),
    credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential for a protected endpoint' })),
    expected_status: Type.Optional(
      Type.Array(Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.String({ pattern: STATUS_SPEC_PATTERN })]), {
        minItems: 1,
        maxItems: 20,
        default: DEFAULT_EXPECTED,
        description: 'Statuses that count as healthy: codes (200), classes ("2xx") or ranges ("200-399"). Default 2xx',
      }),
    ),
    body_contains: Type.Optional(Type.String({ minLength: 1, description: 'Text the response body must contain' })),
    body_regex: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Regular expression (JavaScript syntax, multi-line) the body must match' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 300, default: DEFAULT_TIMEOUT_SECONDS, description: 'Budget for the whole exchange' })),
    fail_on_error: Type.Optional(Type.Boolean({ default: false, description: 'Fail the step when the check fails, instead of returning ok: false' })),
  },
  { additionalProperties: false },
);

const HttpCheckOutput = Type.Object({
  ok: Type.Boolean({ description: 'Status expected and body matched' }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status, null when no answer came' }),
  latency_ms: Type.Union([Type.Number(), Type.Null()], { description: 'Time to the whole answer, null when none came' }),
  matched: Type.Union([Type.Boolean(), Type.Null()], { description: 'Body checks passed; null when none were asked for or no body came' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the check failed' }),
});

function bodyText(res: HttpResponse): string {
  if (typeof res.body === 'string') return res.body;
  return res.body === undefined || res.body === null ? '' : JSON.stringify(res.body);
}

export const httpCheckAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'HTTP Check',
  description:
    'Checks that a URL answers with an expected status (and, optionally, a body containing a text or matching a regular expression) within a timeout. A failed check is a result (ok: false with the reason), unless fail_on_error is set.',
  params: HttpCheckParams,
  output: HttpCheckOutput,
  async run(ctx) {
    const p = ctx.params;
    const method = p.method ?? 'GET';
    const expected = statusMatcher(p.expected_status ?? DEFAULT_EXPECTED, ID, '/expected_status');
    const regex = p.body_regex === undefined ? undefined : compileRegex(ID, '/body_regex', p.body_regex);
    const auth = await httpAuth(ctx.credentials, p.credential_id);
    const fail = (status: number | null, latency: number | null, matched: boolean | null, error: string) => {
      ctx.log.log('warn', `${describeRequest(method, p.url)}: ${error}`, { status });
      if (p.fail_on_error) throw new RetryableError('check_failed', `${describeRequest(method, p.url)}: ${error}`, { details: { status } });
      return { ok: false, status, latency_ms: latency, matched, error };
    };
    let res: HttpResponse;
    try {
      res = await httpRequest({
        method,
        url: p.url,
        headers: { ...p.headers, ...auth?.headers },
        body: p.body,
        timeoutMs: (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        signal: ctx.signal,
        egress: ctx.services.egress,
        maxResponseBytes: MAX_BODY_BYTES,
        responseType: 'text',
        ...(auth ? { credential: auth.credential } : {}),
      });
    } catch (err) {
      if (!(err instanceof ItwError) || NOT_A_CHECK_RESULT.has(err.code)) throw err;
      return fail(null, null, null, err.message);
    }
    const checksBody = p.body_contains !== undefined || regex !== undefined;
    const text = bodyText(res);
    const matched = checksBody ? (p.body_contains === undefined || text.includes(p.body_contains)) && (regex === undefined || boundedTest(regex, text)) : null;
    if (!expected.matches(res.status)) return fail(res.status, res.duration_ms, matched, `status ${res.status} is not one of ${expected.text}`);
    if (matched === false) return fail(res.status, res.duration_ms, matched, 'the response body does not match');
    ctx.log.log('info', `${describeRequest(method, p.url)} → ${res.status} in ${res.duration_ms} ms`, { status: res.status, latency_ms: res.duration_ms });
    return { ok: true, status: res.status, latency_ms: res.duration_ms, matched, error: null };
  },
  plan(ctx) {
    const p = ctx.params;
    return `check ${describeRequest(p.method ?? 'GET', p.url)} answers ${(p.expected_status ?? DEFAULT_EXPECTED).join(', ')}`;
  },
});
