import { STATUS_CODES } from 'node:http';
import type { Dispatcher, request } from 'undici';
import { checkCredentialHost, type CredentialBinding } from './credential-binding.js';
import type { EgressGuard } from './egress-guard.js';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { decodeBody, type ResponseType } from './decode-body.js';
import { parseRetryAfter } from './retry-after.js';
import { undici } from './undici-module.js';

export interface HttpRequestOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Appended to any query already in `url`. */
  query?: Record<string, string | number | boolean>;
  /**
   * Object/array/number/boolean → JSON (content-type application/json unless given);
   * string or bytes → sent as is; undefined or null → no body.
   */
  body?: unknown;
  /** Budget for the whole exchange, including reading the body. */
  timeoutMs: number;
  /** External abort (cancellation, shutdown). */
  signal?: AbortSignal;
  /** @default 10 MiB; exceeding it fails with `response_too_large`. */
  maxResponseBytes?: number;
  /** @default 'auto': JSON when the content-type says so, falling back to text if it does not parse. */
  responseType?: ResponseType;
  /**
   * The credential whose secret is in `headers`/`body`: every hop (the first request and each
   * redirect) must go to a host it is bound to, else `credential_host_denied` before sending.
   */
  credential?: CredentialBinding;
  /**
   * The app's egress policy (ActionServices.egress): its pool dials only addresses the policy
   * allows, redirects included. Required, so no request goes out unguarded because nobody set one.
   */
  egress: EgressGuard;
  /**
   * A pool with the request's own TLS material, from `egress.tlsDispatcher` (so it dials under the
   * same policy). @default egress.dispatcher
   */
  dispatcher?: Dispatcher;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  duration_ms: number;
  /** Requested URL without credentials. */
  url: string;
  /** Upper-cased method, so a response can describe itself in error messages. */
  method: string;
}

/** What an outbound call needs from its step: cancellation and the app's egress policy. */
export interface Outbound {
  readonly signal: AbortSignal;
  readonly egress: EgressGuard;
}

/** The outbound side of an action context. */
export function outbound(ctx: { readonly signal: AbortSignal; readonly services: { readonly egress: EgressGuard } }): Outbound {
  return { signal: ctx.signal, egress: ctx.services.egress };
}

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const BODY_EXCERPT_CHARS = 500;

// Redirects are followed here rather than by undici's interceptor, so the credential binding is
// checked before each hop is sent (a bound credential must not follow a redirect to another host).
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

interface Hop {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** The next request of a redirect chain, like fetch/curl -L: 303 (and 301/302 after POST) become GET without a body. */
function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch (cause) {
    throw new NonRetryableError('invalid_redirect', `${describe(hop.method, hop.url)} redirected to an invalid URL`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NonRetryableError('invalid_redirect', `${describe(hop.method, hop.url)} redirected to unsupported scheme ${url.protocol}`);
  }
  const toGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  const drop = new Set([...(url.origin === hop.url.origin ? [] : CROSS_ORIGIN_DROPPED), ...(toGet ? ['content-type', 'content-length'] : []), 'host']);
  const headers = Object.fromEntries(Object.entries(hop.headers).filter(([k]) => !drop.has(k.toLowerCase())));
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? undefined : hop.body };
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Origin and path only: the query string and userinfo may carry secrets (api keys, tokens). */
function describe(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

/** A loggable `METHOD origin/path` for plans and log lines; never throws. */
export function describeRequest(method: string, rawUrl: string): string {
  try {
    return describe(method.toUpperCase(), new URL(rawUrl));
  } catch {
    return `${method.toUpperCase()} <invalid URL>`;
  }
}

function parseUrl(raw: string, query: HttpRequestOptions['query']): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new NonRetryableError('invalid_url', 'invalid URL (expected an absolute http:// or https:// URL)', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NonRetryableError('invalid_url', `unsupported URL scheme ${url.protocol} (expected http or https)`);
  }
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.append(key, String(value));
  return url;
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

/** Moves `user:pass@` into a Basic header (as curl does) and strips it from the URL. */
function takeCredentials(url: URL, headers: Record<string, string>): void {
  if (url.username === '' && url.password === '') return;
  if (!hasHeader(headers, 'authorization')) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers['authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
}

function encodeBody(body: unknown, headers: Record<string, string>): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  return JSON.stringify(body);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function tooLarge(target: string, maxBytes: number): NonRetryableError {
  return new NonRetryableError('response_too_large', `response from ${target} exceeds ${maxBytes} bytes`, {
    details: { max_bytes: maxBytes },
  });
}

async function readBounded(body: AsyncIterable<Uint8Array> & { destroy(): void }, maxBytes: number, target: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      // Closing the stream releases the socket instead of draining a possibly endless body.
      body.destroy();
      throw tooLarge(target, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects report an AggregateError whose first member has the errno code.
  const first = (err as { errors?: unknown[] }).errors?.[0];
  return first === undefined ? undefined : errorCode(first);
}

/**
 * Performs one HTTP exchange and reads the whole (bounded) body.
 * Every failure is an ItwError whose `retryable` flag tells the engine whether to try again;
 * messages never include header values, the query string or URL credentials.
 */
export async function httpRequest(opts: HttpRequestOptions): Promise<HttpResponse> {
  const method = opts.method.toUpperCase();
  const url = parseUrl(opts.url, opts.query);
  const headers = { ...opts.headers };
  takeCredentials(url, headers);
  const body = encodeBody(opts.body, headers);
  const target = describe(method, url);
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const cancelled = (cause?: unknown) => new ItwError('cancelled', 'request aborted', { cause });
  if (opts.signal?.aborted) throw cancelled(opts.signal.reason);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  const started = performance.now();
  try {
    // undici's own headers/body timeouts are disabled: our timer bounds the whole exchange,
    // and their 300 s defaults would otherwise cut long timeouts short with a different error.
    let hop: Hop = { url, method, headers, body };
    for (let redirects = 0; ; redirects++) {
      if (opts.credential) checkCredentialHost(opts.credential, hop.url.hostname, portOf(hop.url), 'http', opts.egress);
      const res = await undici().request(hop.url, { method: hop.method, headers: hop.headers, body: hop.body, signal, dispatcher: opts.dispatcher ?? opts.egress.dispatcher, headersTimeout: 0, bodyTimeout: 0 });
      const location = res.headers['location'];
      if (REDIRECTS.has(res.statusCode) && typeof location === 'string' && redirects < MAX_REDIRECTS) {
        await res.body.dump();
        hop = nextHop(hop, res.statusCode, location);
        continue;
      }
      return await readResponse(res, opts, target, maxBytes, url, method, started);
    }
  } catch (err) {
    if (err instanceof ItwError) throw err;
    // Check the external signal first: a cancellation racing the timer is still a cancellation.
    if (opts.signal?.aborted) throw cancelled(err);
    if (timeout.signal.aborted) {
      throw new RetryableError('timeout', `${target} timed out after ${opts.timeoutMs / 1000}s`, {
        cause: err,
        details: { timeout_ms: opts.timeoutMs },
      });
    }
    const code = errorCode(err) ?? 'unknown';
    if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_CHAR') {
      // Rejected before sending (bad header name/value, bad body): repeating cannot help.
      throw new NonRetryableError('invalid_request', `invalid request ${target} (${code})`, { cause: err });
    }
    throw new RetryableError('network_error', `network error on ${target}: ${code}`, {
      cause: err,
      details: { host: url.host, cause_code: code },
    });
  } finally {
    clearTimeout(timer);
  }
}

async function readResponse(
  res: Awaited<ReturnType<typeof request>>, opts: HttpRequestOptions, target: string, maxBytes: number, url: URL, method: string, started: number,
): Promise<HttpResponse> {
  const resHeaders = flattenHeaders(res.headers);
  const declared = Number(resHeaders['content-length']);
  if (declared > maxBytes) {
    res.body.destroy();
    throw tooLarge(target, maxBytes);
  }
  const raw = await readBounded(res.body, maxBytes, target);
  return {
    status: res.statusCode,
    headers: resHeaders,
    body: decodeBody(raw, resHeaders['content-type'], opts.responseType ?? 'auto', res.statusCode, target),
    duration_ms: Math.round(performance.now() - started),
    url: url.href,
    method,
  };
}

function bodyExcerpt(body: unknown): string {
  if (body === null || body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.slice(0, BODY_EXCERPT_CHARS);
}

/**
 * Maps a completed response to the error the step should fail with, or undefined for 1xx–3xx.
 * 408, 429 and 5xx are worth retrying (honouring Retry-After); other 4xx would fail the same way again.
 */
export function httpStatusError(res: HttpResponse, nowMs: number = Date.now()): ItwError | undefined {
  if (res.status < 400) return undefined;
  const statusText = STATUS_CODES[res.status] ?? 'Unknown Status';
  const url = new URL(res.url);
  const message = `HTTP ${res.status} ${statusText} from ${describe(res.method, url)}`;
  const details = { status: res.status, body_excerpt: bodyExcerpt(res.body) };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], nowMs);
    return new RetryableError('http_status', message, retryAfterMs === undefined ? { details } : { details, retryAfterMs });
  }
  return new NonRetryableError('http_status', message, { details });
}
