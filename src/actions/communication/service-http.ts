import type { CredentialBinding } from '../http/credential-binding.js';
import type { EgressGuard } from '../http/egress-guard.js';
import { httpRequest, type HttpResponse } from '../http/http-client.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { type ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';

/** SaaS APIs answer in well under a second; 30 s means the service is in trouble, and a retry may help. */
const SERVICE_TIMEOUT_MS = 30_000;
/** Their answers are small; a megabyte is a misrouted request (an HTML error page, a proxy). */
const SERVICE_MAX_RESPONSE_BYTES = 1024 * 1024;
// GitHub refuses requests without a User-Agent; the others log it, which helps their support.
const USER_AGENT = 'iTechSmart-Workflow';

export interface ServiceRequest {
  readonly url: string;
  /** Lower-case names, so they override the defaults instead of doubling them. */
  readonly headers: Record<string, string>;
  /** Objects go as JSON; a string is sent as is (set its content-type). */
  readonly body: unknown;
  readonly signal: AbortSignal;
  readonly egress: EgressGuard;
}

/**
 * The host a vendor request was addressed to (its credential's base URL or the vendor's API host):
 * the secret it carries in headers or body may go there only, so a redirect elsewhere fails with
 * credential_host_denied instead of being followed.
 */
export function boundToOwnHost(url: string): { credential: CredentialBinding } | Record<string, never> {
  try {
    return { credential: { id: 'of this service', allowed_hosts: [new URL(url).host] } };
  } catch {
    return {}; // httpRequest reports the invalid URL
  }
}

/** POSTs to a service API through the shared HTTP client (pooling, timeouts, bounded bodies, safe messages). */
export function servicePost(req: ServiceRequest): Promise<HttpResponse> {
  return serviceCall('POST', req);
}

/** Any method (GET polls, PATCH/PUT updates) with servicePost's defaults; a GET sends no body. */
export function serviceCall(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', req: ServiceRequest): Promise<HttpResponse> {
  return httpRequest({
    ...boundToOwnHost(req.url),
    method,
    url: req.url,
    headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...req.headers },
    body: req.body,
    signal: req.signal,
    egress: req.egress,
    timeoutMs: SERVICE_TIMEOUT_MS,
    maxResponseBytes: SERVICE_MAX_RESPONSE_BYTES,
  });
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `<prefix>_invalid`, `_auth`, `_not_found`, `_rate_limited`, `_unavailable` or `_error`, by HTTP status. */
export function statusCode(prefix: string, status: number): string {
  if (status === 400 || status === 422) return `${prefix}_invalid`;
  if (status === 401 || status === 403) return `${prefix}_auth`;
  if (status === 404) return `${prefix}_not_found`;
  if (status === 429) return `${prefix}_rate_limited`;
  if (status === 408 || status >= 500) return `${prefix}_unavailable`;
  return `${prefix}_error`;
}

export interface ServiceFailure {
  /** Service name for the message: `Jira`, `Slack webhook`... */
  readonly label: string;
  readonly code: string;
  /** What the service said, in its words (field errors, error code). */
  readonly detail?: string | undefined;
  /** @default by status: 408, 429 and 5xx */
  readonly retryable?: boolean;
  /** Wait to use when the response has no Retry-After (GitHub's rate-limit reset time). */
  readonly retryAfterMs?: number | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The error a failed service call ends the step with; a retryable one carries the service's Retry-After. */
export function serviceError(res: HttpResponse, failure: ServiceFailure, nowMs: number = Date.now()): ItwError {
  const detail = failure.detail ? `: ${failure.detail}` : '';
  const message = `${failure.label} answered HTTP ${res.status}${detail}`;
  const details = { status: res.status, ...failure.details };
  if (failure.retryable ?? isRetryableStatus(res.status)) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], nowMs) ?? failure.retryAfterMs;
    return new RetryableError(failure.code, message, retryAfterMs === undefined ? { details } : { details, retryAfterMs });
  }
  return new NonRetryableError(failure.code, message, { details });
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function stringField(value: unknown, name: string): string | undefined {
  const field = asRecord(value)?.[name];
  return typeof field === 'string' ? field : typeof field === 'number' ? String(field) : undefined;
}

/**
 * A 2xx whose body lacks what the API documents: the call may have had its effect, so retrying
 * could repeat it; the step fails for a person to look.
 */
export function unexpectedResponse(label: string, res: HttpResponse, missing: string): NonRetryableError {
  return new NonRetryableError('invalid_response', `${label} answered HTTP ${res.status} without ${missing}`, {
    details: { status: res.status },
  });
}
