import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { ItwError } from '../model/errors.js';
import { AUTH_MODES, AUTH_REQUIRED_MESSAGE } from '../model/ingress-auth-modes.js';
import { jsonTextTooDeep, tooDeepMessage } from '../model/json-depth.js';
import { adoptJsonText } from '../model/json-text.js';
import type { IngressRequest } from './trigger-source.js';

/** Constant-time string compare (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hmacHex(secret: string, data: Buffer | string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

export const unauthorized = (message: string) => new ItwError('unauthorized', message);
export const badRequest = (message: string) => new ItwError('bad_request', message);

/**
 * How an HTTP trigger checks its caller. There is no default: `none` is a choice made in the open.
 * `hmac` is our format and signs a timestamp (replays refused); the vendor modes speak their
 * vendor's format (docs/TRIGGERS.md, WIRE-FORMATS.md). Secret fields are sealed into the vault
 * before a config is stored (model/trigger-secret-fields.ts): this schema sees them opened.
 */

export const IngressAuthSchema = Type.Object({
  mode: Type.Union(AUTH_MODES.map((m) => Type.Literal(m))),
  /** header: the header carrying the token. */
  header: Type.String({ default: 'x-webhook-token' }),
  /** header, gitlab: the shared token (compared in constant time); `Bearer <token>` in Authorization also works for header. */
  token: Type.Optional(Type.String({ minLength: 1 })),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  /** hmac, github, grafana, pagerduty: the key of HMAC-SHA256. */
  secret: Type.Optional(Type.String({ minLength: 1 })),
  /** hmac: the header carrying `sha256=<hex>` or plain hex. @default x-itw-signature (hmac), the vendor's header otherwise */
  signature_header: Type.Optional(Type.String({ minLength: 1 })),
  /** hmac: the header carrying the signed Unix timestamp (s or ms). grafana: set it when Grafana sends one. @default x-itw-timestamp (hmac) */
  timestamp_header: Type.Optional(Type.String({ minLength: 1 })),
  /** How the timestamp joins the body in the signed string. @default '.' (hmac), ':' (grafana) */
  timestamp_separator: Type.Optional(Type.String()),
  /** Signed timestamps older or newer than this are refused, and a signature is accepted once within it. */
  tolerance_seconds: Type.Integer({ minimum: 1, maximum: 3600, default: 300 }),
});
export type IngressAuth = Static<typeof IngressAuthSchema>;

/** The problem a webhook/alert trigger without `auth` gets: the choice is the author's. */
export const AUTH_REQUIRED = `/auth: ${AUTH_REQUIRED_MESSAGE}`;

export function authProblems(auth: IngressAuth | undefined): string[] {
  if (auth === undefined) return [AUTH_REQUIRED];
  switch (auth.mode) {
    case 'none':
      return [];
    case 'header':
    case 'gitlab':
      return auth.token ? [] : [`/auth/token: is required for mode ${auth.mode}`];
    case 'basic':
      return auth.username !== undefined && auth.password !== undefined ? [] : ['/auth: username and password are required for mode basic'];
    case 'hmac':
    case 'github':
    case 'grafana':
    case 'pagerduty':
      return auth.secret ? [] : [`/auth/secret: is required for mode ${auth.mode}`];
    default: {
      const never: never = auth.mode;
      return [`/auth/mode: unknown ${String(never)}`];
    }
  }
}

/**
 * Remembers signatures accepted within their timestamp window, so a captured signed request
 * cannot be replayed while its timestamp is still fresh. Returns false for one seen before.
 */
export type ReplayCheck = (signature: string, until: number) => boolean;

/** Throws 401 unless the request carries what `auth` asks for. `now` is epoch ms. */
export function verifyAuth(auth: IngressAuth, req: IngressRequest, now: number, firstSeen?: ReplayCheck): void {
  switch (auth.mode) {
    case 'none':
      return;
    case 'header': {
      const sent = req.headers[auth.header.toLowerCase()] ?? bearer(req.headers['authorization']);
      if (sent === undefined || !safeEqual(sent, auth.token ?? '')) throw unauthorized(`missing or wrong ${auth.header} token`);
      return;
    }
    case 'gitlab': {
      const sent = req.headers['x-gitlab-token'];
      if (sent === undefined || !safeEqual(sent, auth.token ?? '')) throw unauthorized('missing or wrong X-Gitlab-Token');
      return;
    }
    case 'basic': {
      const m = /^Basic\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
      const [user, ...rest] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
      const ok = user !== undefined && safeEqual(user, auth.username ?? '') && safeEqual(rest.join(':'), auth.password ?? '');
      if (!ok) throw unauthorized('missing or wrong basic credentials');
      return;
    }
    case 'hmac':
      return verifySigned(auth, req, now, {
        header: auth.signature_header ?? 'x-itw-signature', timestampHeader: auth.timestamp_header ?? 'x-itw-timestamp', separator: auth.timestamp_separator ?? '.',
      }, firstSeen);
    case 'github':
      return verifySigned(auth, req, now, { header: 'x-hub-signature-256', timestampHeader: undefined, separator: '' }, firstSeen);
    case 'grafana':
      return verifySigned(auth, req, now, { header: 'x-grafana-alerting-signature', timestampHeader: auth.timestamp_header, separator: auth.timestamp_separator ?? ':' }, firstSeen);
    case 'pagerduty':
      return verifyPagerDuty(auth, req);
    default: {
      const never: never = auth.mode;
      throw unauthorized(`unknown auth mode ${String(never)}`);
    }
  }
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : undefined;
}

interface SignedFormat {
  readonly header: string;
  /** Undefined: the vendor signs the body alone (its delivery id is what dedups retries). */
  readonly timestampHeader: string | undefined;
  readonly separator: string;
}

function verifySigned(auth: IngressAuth, req: IngressRequest, now: number, f: SignedFormat, firstSeen: ReplayCheck | undefined): void {
  const sent = req.headers[f.header.toLowerCase()];
  if (sent === undefined) throw unauthorized(`missing ${f.header} signature`);
  let signed: Buffer = req.rawBody;
  let until = 0;
  if (f.timestampHeader !== undefined) {
    const ts = req.headers[f.timestampHeader.toLowerCase()];
    const n = ts === undefined || !/^\d{1,16}$/.test(ts.trim()) ? NaN : Number(ts);
    if (!Number.isFinite(n)) throw unauthorized(`missing or bad ${f.timestampHeader} timestamp (it is signed with the body: timestamp${f.separator}body)`);
    const ms = n < 1e12 ? n * 1000 : n;
    if (Math.abs(now - ms) > auth.tolerance_seconds * 1000) throw unauthorized(`${f.timestampHeader} is outside the ${auth.tolerance_seconds}s window (replay?)`);
    signed = Buffer.concat([Buffer.from(`${ts}${f.separator}`), req.rawBody]);
    until = ms + auth.tolerance_seconds * 1000;
  }
  const hex = sent.trim().replace(/^sha256=/i, '').toLowerCase();
  if (!safeEqual(hex, hmacHex(auth.secret ?? '', signed))) throw unauthorized(`${f.header} does not match the body`);
  if (until > 0 && firstSeen && !firstSeen(hex, until)) throw unauthorized(`${f.header}: this signed request was already accepted (replay)`);
}

function verifyPagerDuty(auth: IngressAuth, req: IngressRequest): void {
  const sent = req.headers['x-pagerduty-signature'];
  if (sent === undefined) throw unauthorized('missing X-PagerDuty-Signature');
  const want = hmacHex(auth.secret ?? '', req.rawBody);
  // Several v1= signatures while PagerDuty rotates the secret: any one matching passes.
  const ok = sent.split(',').map((p) => p.trim()).some((p) => p.startsWith('v1=') && safeEqual(p.slice(3).toLowerCase(), want));
  if (!ok) throw unauthorized('X-PagerDuty-Signature does not match the body');
}

function mediaType(req: IngressRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * JSON object or array from the raw body; 400 when it does not parse. An empty body is `{}`.
 * `keepText`: the value keeps the body's text as its JSON text (json-text.ts), for a caller that
 * stores the value as it is and never mutates it.
 */
export function parseJson(req: IngressRequest, keepText = false): unknown {
  if (req.rawBody.length === 0) return {};
  const text = req.rawBody.toString('utf8');
  // Checked before parsing: a 400k-deep payload would overflow the stack of whatever walks it next.
  if (jsonTextTooDeep(text)) throw badRequest(tooDeepMessage('body'));
  try {
    const value = JSON.parse(text) as unknown;
    if (keepText) adoptJsonText(value, text);
    return value;
  } catch (err) {
    throw badRequest(`body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The body as a workflow sees it: JSON parsed, forms as objects, text as a string, anything else base64. */
export function parseBody(req: IngressRequest, keepText = false): unknown {
  const type = mediaType(req);
  if (req.rawBody.length === 0) return null;
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(req, keepText);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
  if (type.startsWith('text/') || type === 'application/xml' || type === 'application/yaml' || type === '') return req.rawBody.toString('utf8');
  return { base64: req.rawBody.toString('base64'), content_type: type };
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-gitlab-token', 'proxy-authorization']);

/** Request headers for input_data, without credentials (the auth header named in the config too). */
export function inputHeaders(req: IngressRequest, also: readonly string[] = []): Record<string, string> {
  const dropAlso = also.map((h) => h.toLowerCase());
  const out: Record<string, string> = {};
  for (const k of Object.keys(req.headers)) {
    const v = req.headers[k];
    if (v !== undefined && !SECRET_HEADERS.has(k) && !dropAlso.includes(k)) out[k] = v;
  }
  return out;
}

/** Normalises a configured path: no leading/trailing slashes, segments of URL-safe characters. */
export const PathSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '^/?[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?$' });
export function normalPath(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}
