import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ItwError } from '../../model/errors.js';
import { roleAtLeast } from '../../model/roles.js';
import type { Api, ApiDeps, Principal } from '../types.js';

export const SESSION_COOKIE = 'itw_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function resolvePrincipal(request: FastifyRequest, deps: ApiDeps): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ItwError('unauthorized', 'Authorization must be "Bearer <api key>"');
    const token = m[1]!;
    const metrics = deps.config.metricsToken;
    if (metrics !== undefined && request.url.split('?')[0] === '/metrics' && safeEqual(token, metrics)) {
      return { kind: 'metrics_token', id: 'metrics', name: 'metrics token', role: 'viewer' };
    }
    const principal = token.startsWith('itw_') ? await deps.keyCache.resolve(token) : undefined;
    if (!principal) throw new ItwError('unauthorized', 'unknown or revoked API key');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || cookie === '') return undefined;
  const session = await deps.app.repos.sessions.findByToken(cookie);
  if (!session) return undefined;
  return { kind: 'session', id: session.user_id, name: session.username, role: session.role, csrfToken: session.csrf_token, sessionId: session.id };
}

/**
 * Every request but the public routes needs a principal whose role is at least the route's
 * `minRole` (routes without one are admin-only: forgetting it fails closed). Cookie sessions also
 * need the CSRF token on unsafe methods; bearer keys do not (a browser never sends them by itself).
 */
export function installAuth(f: Api, deps: ApiDeps): void {
  f.decorateRequest('principal', undefined);
  // A callback hook: public routes (webhooks, alerts, health) pass without a promise per request.
  f.addHook('onRequest', (request, _reply, done) => {
    const config = request.routeOptions.config;
    if (config.public === true) return done();
    const path = request.url.split('?')[0] ?? '';
    if (path === '/docs' || path.startsWith('/docs/')) return done();
    authorize(request, deps).then(() => done(), done);
  });
}

async function authorize(request: FastifyRequest, deps: ApiDeps): Promise<void> {
  const config = request.routeOptions.config;
  const principal = await resolvePrincipal(request, deps);
  if (!principal) throw new ItwError('unauthorized', 'credentials required: an API key (Authorization: Bearer itw_...) or a login session');
  request.principal = principal;
  if (principal.kind === 'metrics_token' && request.is404) throw new ItwError('unauthorized', 'the metrics token only reads /metrics');
  const min = request.is404 ? 'viewer' : (config.minRole ?? 'admin');
  if (!roleAtLeast(principal.role, min)) throw new ItwError('forbidden', `this needs the ${min} role or stronger; you have ${principal.role}`);
  if (principal.kind === 'session' && UNSAFE.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken ?? '')) {
      throw new ItwError('forbidden', 'missing or wrong x-csrf-token header (get it from POST /auth/login or GET /auth/me)');
    }
  }
}
