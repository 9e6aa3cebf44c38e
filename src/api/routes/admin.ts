import { Type } from '@sinclair/typebox';
import { ROLES } from '../../model/roles.js';
import { PASSWORD_MIN, SLACK_USER_ID_PATTERN, USERNAME_MAX, USERNAME_PATTERN } from '../../model/user-rules.js';
import type { ApiKeyRecord } from '../../store/api-key-repository.js';
import type { UserRecord } from '../../store/user-repository.js';
import { IdParams, iso, Nullable, NullableIsoTime, IsoTime, problems, stringEnum } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['admin'];
const RoleEnum = stringEnum(ROLES);

const SlackUserId = Type.String({ pattern: SLACK_USER_ID_PATTERN, description: 'Slack member id (U…/W…): approvals answered and slash commands run in Slack act as this user' });
const UserSchema = Type.Object({ id: Type.String(), username: Type.String(), role: RoleEnum, slack_user_id: Nullable(Type.String()), created_at: IsoTime });
const ApiKeySchema = Type.Object({
  id: Type.String(), name: Type.String(), role: RoleEnum, prefix: Type.String(), created_by: Nullable(Type.String()), created_at: IsoTime,
  last_used_at: NullableIsoTime, revoked_at: NullableIsoTime,
  key: Type.Optional(Type.String({ description: 'the secret: in the create answer only, never again' })),
});

const presentUser = (u: UserRecord) => ({ id: u.id, username: u.username, role: u.role, slack_user_id: u.slack_user_id, created_at: iso(u.created_at)! });
const presentKey = (k: ApiKeyRecord) => ({ ...k, created_at: iso(k.created_at)!, last_used_at: iso(k.last_used_at), revoked_at: iso(k.revoked_at) });

export function adminRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;
  const config = { minRole: 'admin' } as const;

  f.get('/automation/admin/users', { schema: { tags, summary: 'Users', response: { 200: Type.Object({ items: Type.Array(UserSchema) }) } }, config },
    async () => ({ items: (await app.repos.users.list()).map(presentUser) }));

  f.post('/automation/admin/users', {
    schema: {
      tags, summary: 'Create a user (password at least 8 characters)',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: USERNAME_MAX, pattern: USERNAME_PATTERN }), password: Type.String({ minLength: PASSWORD_MIN, maxLength: 1000 }), role: RoleEnum, slack_user_id: Type.Optional(Nullable(SlackUserId)) }, { additionalProperties: false }),
      response: { 201: UserSchema, ...problems(400, 409) },
    },
    config,
  }, async (req, reply) => reply.code(201).send(presentUser(await app.repos.users.create(req.body))));

  f.patch('/automation/admin/users/:id', {
    schema: {
      tags, summary: 'Change a user: role (never the last admin\'s), password (ends their sessions), the Slack user who acts as them (null unmaps)', params: IdParams,
      body: Type.Object({
        slack_user_id: Type.Optional(Nullable(SlackUserId)),
        role: Type.Optional(RoleEnum),
        password: Type.Optional(Type.String({ minLength: PASSWORD_MIN, maxLength: 1000 })),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: UserSchema, ...problems(400, 404, 409) },
    },
    config,
  }, async (req) => presentUser(await app.repos.users.update(req.params.id, req.body)));

  f.delete('/automation/admin/users/:id', { schema: { tags, summary: 'Delete a user and their sessions', params: IdParams, response: { 204: Type.Null(), ...problems(404) } }, config },
    async (req, reply) => {
      await app.repos.users.delete(req.params.id);
      return reply.code(204).send(null);
    });

  f.get('/automation/admin/api-keys', { schema: { tags, summary: 'API keys (never their secrets)', response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }) } }, config },
    async () => ({ items: (await app.repos.apiKeys.list()).map(presentKey) }));

  f.post('/automation/admin/api-keys', {
    schema: {
      tags, summary: 'Create an API key: the answer holds the key, shown this once',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), role: RoleEnum }, { additionalProperties: false }),
      response: { 201: ApiKeySchema, ...problems(400) },
    },
    config,
  }, async (req, reply) => {
    const { key, record } = await app.repos.apiKeys.create({ ...req.body, createdBy: req.principal?.name ?? null });
    req.log.info({ api_key_id: record.id, role: record.role }, 'api key created');
    return reply.code(201).send({ ...presentKey(record), key });
  });

  f.delete('/automation/admin/api-keys/:id', { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: { 204: Type.Null(), ...problems(404) } }, config },
    async (req, reply) => {
      await app.repos.apiKeys.revoke(req.params.id);
      deps.keyCache.clear();
      req.log.info({ api_key_id: req.params.id }, 'api key revoked');
      return reply.code(204).send(null);
    });
}
