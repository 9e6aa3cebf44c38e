import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { ItwError } from '../model/errors.js';
import { jsonTextTooDeep, tooDeepMessage } from '../model/json-depth.js';
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

/** How an HTTP trigger checks its caller. Secrets live in the trigger config (write access = editor). */
export const IngressAuthSchema = Type.Object({
  mode: Type.Union([Type.Literal('none'), Type.Literal('header'), Type.Literal('basic'), Type.Literal('hmac')], { default: 'none' }),
  /** header: the header carrying the token. */
  header: Type.String({ default: 'x-webhook-token' }),
  /** header: the shared token (compared in constant time); `Bearer <token>` in Authorization also works. */
  token: Type.Optional(Type.String({ minLength: 1 })),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  /** hmac: the key of HMAC-SHA256 over the raw body. */
  secret: Type.Optional(Type.String({ minLength: 1 })),
  /** hmac: the header carrying `sha256=<hex>` (GitHub style) or plain hex. */
  signature_header: Type.String({ default: 'x-hub-signature-256' }),
  /** hmac: a header carrying a Unix timestamp (s or ms) that is signed too: replays outside the window get 401. */
  timestamp_header: Type.Optional(Type.String()),
  /** hmac: how the timestamp joins the body in the signed string. */
  timestamp_separator: Type.String({ default: '.' }),
  tolerance_seconds: Type.Integer({ minimum: 1, default: 300 }),
}, { default: {} });
export type IngressAuth = Static<typeof IngressAuthSchema>;

export function authProblems(auth: IngressAuth): string[] {
  switch (auth.mode) {
    case 'none':
      return [];
    case 'header':
      return auth.token ? [] : ['/auth/token: is required for mode header'];
    case 'basic':
      return auth.username !== undefined && auth.password !== undefined ? [] : ['/auth: username and password are required for mode basic'];
    case 'hmac':
      return auth.secret ? [] : ['/auth/secret: is required for mode hmac'];
    default: {
      const never: never = auth.mode;
      return [`/auth/mode: unknown ${String(never)}`];
    }
  }
}

/** Throws 401 unless the request carries what `auth` asks for. `now` is epoch ms. */
export function verifyAuth(auth: IngressAuth, req: IngressRequest, now: number): void {
  switch (auth.mode) {
    case 'none':
      return;
    case 'header': {
      const sent = req.headers[auth.header.toLowerCase()] ?? bearer(req.headers['authorization']);
      if (sent === undefined || !safeEqual(sent, auth.token ?? '')) throw unauthorized(`missing or wrong ${auth.header} token`);
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
      return verifyHmac(auth, req, now);
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

function verifyHmac(auth: IngressAuth, req: IngressRequest, now: number): void {
  const sent = req.headers[auth.signature_header.toLowerCase()];
  if (sent === undefined) throw unauthorized(`missing ${auth.signature_header} signature`);
  let signed: Buffer = req.rawBody;
  if (auth.timestamp_header !== undefined) {
    const ts = req.headers[auth.timestamp_header.toLowerCase()];
    const n = ts === undefined ? NaN : Number(ts);
    if (!Number.isFinite(n)) throw unauthorized(`missing or bad ${auth.timestamp_header} timestamp`);
    const ms = n < 1e12 ? n * 1000 : n;
    if (Math.abs(now - ms) > auth.tolerance_seconds * 1000) throw unauthorized(`${auth.timestamp_header} is outside the ${auth.tolerance_seconds}s window (replay?)`);
    signed = Buffer.concat([Buffer.from(`${ts}${auth.timestamp_separator}`), req.rawBody]);
  }
  const hex = sent.trim().replace(/^sha256=/i, '').toLowerCase();
  if (!safeEqual(hex, hmacHex(auth.secret ?? '', signed))) throw unauthorized(`${auth.signature_header} does not match the body`);
}

function mediaType(req: IngressRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** JSON object or array from the raw body; 400 when it does not parse. An empty body is `{}`. */
export function parseJson(req: IngressRequest): unknown {
  if (req.rawBody.length === 0) return {};
  const text = req.rawBody.toString('utf8');
  // Checked before parsing: a 400k-deep payload would overflow the stack of whatever walks it next.
  if (jsonTextTooDeep(text)) throw badRequest(tooDeepMessage('body'));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The body as a workflow sees it: JSON parsed, forms as objects, text as a string, anything else base64. */
export function parseBody(req: IngressRequest): unknown {
  const type = mediaType(req);
  if (req.rawBody.length === 0) return null;
  if (type === 'application/json' || type.endsWith('+json')) return parseJson(req);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
  if (type.startsWith('text/') || type === 'application/xml' || type === 'application/yaml' || type === '') return req.rawBody.toString('utf8');
  return { base64: req.rawBody.toString('base64'), content_type: type };
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-gitlab-token', 'proxy-authorization']);

/** Request headers for input_data, without credentials (the auth header named in the config too). */
export function inputHeaders(req: IngressRequest, also: readonly string[] = []): Record<string, string> {
  const drop = new Set([...SECRET_HEADERS, ...also.map((h) => h.toLowerCase())]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !drop.has(k)) out[k] = v;
  return out;
}

/** Normalises a configured path: no leading/trailing slashes, segments of URL-safe characters. */
export const PathSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '^/?[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?$' });
export function normalPath(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}
