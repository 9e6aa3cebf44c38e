import { Type } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { PASSWORD_MIN, USERNAME_MAX, USERNAME_PATTERN } from '../../model/user-rules.js';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import type { SetupToken } from '../auth/setup-token.js';
import { problems } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['auth'];

const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'the setup token `itw serve` printed on its console' }),
    username: Type.String({ minLength: 1, maxLength: USERNAME_MAX, pattern: USERNAME_PATTERN }),
    password: Type.String({ minLength: PASSWORD_MIN, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const SessionSchema = Type.Object({ kind: Type.String(), id: Type.String(), name: Type.String(), role: Type.String(), csrf_token: Type.String() });

/**
 * First-run setup: while the server has no users, the first visitor who knows the console's setup
 * token makes the first admin and is logged in. Anonymous by necessity; the token is the credential.
 */
export function setupRoutes(f: Api, deps: ApiDeps, token: SetupToken | undefined): void {
  const { app, config } = deps;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: config.cookieSecure } as const;

  f.get('/auth/setup', {
    schema: {
      tags, summary: 'Whether the server still needs its first user (the web UI then offers the one-time admin setup)', security: [],
      response: { 200: Type.Object({ needed: Type.Boolean() }) },
    },
    config: { public: true },
  }, async () => ({ needed: (await app.repos.users.count()) === 0 }));

  f.post('/auth/setup', {
    schema: {
      tags, summary: 'Create the first admin user with the setup token printed by `itw serve`; logs in like /auth/login', security: [],
      body: SetupBody,
      response: { 201: SessionSchema, ...problems(400, 403, 409, 429) },
    },
    config: { public: true },
  }, async (req, reply) => {
    if ((await app.repos.users.count()) > 0) throw new ItwError('conflict', 'the server already has users: log in, or ask an admin for an account');
    deps.loginThrottle.check('\u0000setup', req.ip);
    if (!token?.consume(req.body.token)) {
      deps.loginThrottle.fail('\u0000setup', req.ip);
      req.log.warn({ ip: req.ip }, 'setup refused: wrong or spent setup token');
      throw new ItwError('forbidden', 'wrong or already used setup token: use the one `itw serve` printed at its last start (restart it for a new one)');
    }
    const user = await app.repos.users.create({ username: req.body.username, password: req.body.password, role: 'admin' });
    const session = await app.repos.sessions.create(user.id, config.sessionTtlMinutes * 60_000);
    req.log.info({ user_id: user.id }, 'first admin created by setup');
    void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: new Date(session.expires_at) });
    return reply.code(201).send({ kind: 'session', id: user.id, name: user.username, role: user.role, csrf_token: session.csrf_token });
  });
}
