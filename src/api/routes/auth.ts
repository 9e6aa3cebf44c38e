import { Type } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { ROLES } from '../../model/roles.js';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { problems, stringEnum } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['auth'];

const MeSchema = Type.Object({
  kind: Type.String({ description: 'api_key or session' }), id: Type.String(), name: Type.String(), role: stringEnum(ROLES),
  csrf_token: Type.Optional(Type.String({ description: 'sessions only: send it as x-csrf-token on POST/PUT/PATCH/DELETE' })),
});

export function authRoutes(f: Api, deps: ApiDeps): void {
  const { app, config } = deps;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: config.cookieSecure } as const;

  f.post('/auth/login', {
    schema: {
      tags, summary: 'Log in with a username and password: sets an httpOnly session cookie and returns the CSRF token', security: [],
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: MeSchema, ...problems(400, 401, 429) },
    },
    config: { public: true },
  }, async (req, reply) => {
    const { username, password } = req.body;
    deps.loginThrottle.check(username, req.ip);
    const user = await deps.hashGate.run(() => app.repos.users.authenticate(username, password));
    if (!user) {
      deps.loginThrottle.fail(username, req.ip);
      req.log.warn({ username, ip: req.ip }, 'login failed');
      throw new ItwError('unauthorized', 'wrong username or password');
    }
    deps.loginThrottle.succeed(username, req.ip);
    const session = await app.repos.sessions.create(user.id, config.sessionTtlMinutes * 60_000);
    req.log.info({ user_id: user.id }, 'login');
    void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: new Date(session.expires_at) });
    return { kind: 'session', id: user.id, name: user.username, role: user.role, csrf_token: session.csrf_token };
  });

  f.post('/auth/logout', {
    schema: { tags, summary: 'End the current session (needs x-csrf-token)', response: { 204: Type.Null(), ...problems(401, 403) } },
    config: { minRole: 'viewer' },
  }, async (req, reply) => {
    if (req.principal?.sessionId) await app.repos.sessions.delete(req.principal.sessionId);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.code(204).send(null);
  });

  f.get('/auth/me', {
    schema: { tags, summary: 'Who the credentials belong to (and the CSRF token of a session)', response: { 200: MeSchema, ...problems(401) } },
    config: { minRole: 'viewer' },
  }, (req) => {
    const p = req.principal!;
    return Promise.resolve({ kind: p.kind, id: p.id, name: p.name, role: p.role, ...(p.csrfToken ? { csrf_token: p.csrfToken } : {}) });
  });
}
