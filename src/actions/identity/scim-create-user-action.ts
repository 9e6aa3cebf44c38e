import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { NonRetryableError } from '../../model/errors.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { ScimClient, type ScimResource, USER_SCHEMA } from './scim-client.js';

const ID = 'scim_create_user';

const Email = Type.Object(
  {
    value: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254, description: 'Email address' }),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'work, home, other' })),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Params = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type scim: {base_url, token}' }),
    user_name: Type.String({ minLength: 1, maxLength: 256, description: 'Unique login name (SCIM userName), often the email address' }),
    given_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    family_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    emails: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 10, description: 'Email addresses; the first is primary unless one says so' })),
    active: Type.Optional(Type.Boolean({ default: true, description: 'Whether the account can sign in' })),
    external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Your identifier for the user (HR id), kept by the service' })),
    if_exists: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('return')], {
      default: 'fail',
      description: 'When the userName is taken (409 uniqueness): fail, or return the existing user (created: false)',
    })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  id: Type.String({ description: 'The service\'s id of the user' }),
  user_name: Type.String(),
  active: Type.Boolean(),
  created: Type.Boolean({ description: 'False when if_exists: return found the user already there' }),
  external_id: Type.Optional(Type.String()),
  location: Type.Optional(Type.String({ description: 'URL of the user resource' })),
});

function summary(user: ScimResource, created: boolean, location: string | undefined) {
  const out: { id: string; user_name: string; active: boolean; created: boolean; external_id?: string; location?: string } = {
    id: String(user['id']),
    user_name: typeof user['userName'] === 'string' ? user['userName'] : '',
    active: user['active'] !== false,
    created,
  };
  if (typeof user['externalId'] === 'string') out.external_id = user['externalId'];
  const loc = location ?? (user['meta'] as Record<string, unknown> | undefined)?.['location'];
  if (typeof loc === 'string') out.location = loc;
  return out;
}

export const scimCreateUserAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'identity',
  name: 'SCIM Create User',
  description:
    'Provisions a user in an identity provider or SaaS app over SCIM 2.0 (RFC 7644, POST /Users): userName, name, emails, ' +
    'active, externalId. A taken userName fails clearly, or returns the existing user with if_exists: return.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const scim = new ScimClient(await ctx.credentials.get(p.credential_id, ['scim']), outbound(ctx));
    const name: Record<string, string> = {};
    if (p.given_name !== undefined) name['givenName'] = p.given_name;
    if (p.family_name !== undefined) name['familyName'] = p.family_name;
    const hasPrimary = p.emails?.some((e) => e.primary === true) ?? false;
    const user: ScimResource = {
      schemas: [USER_SCHEMA],
      userName: p.user_name,
      ...(Object.keys(name).length > 0 ? { name } : {}),
      ...(p.display_name !== undefined ? { displayName: p.display_name } : {}),
      ...(p.emails ? { emails: p.emails.map((e, i) => ({ value: e.value, type: e.type ?? 'work', primary: e.primary ?? (!hasPrimary && i === 0) })) } : {}),
      active: p.active ?? true,
      ...(p.external_id !== undefined ? { externalId: p.external_id } : {}),
    };
    try {
      const { resource, location } = await scim.createUser(user);
      ctx.log.log('info', `created SCIM user ${p.user_name}`, { id: resource['id'] });
      return summary(resource, true, location);
    } catch (err) {
      if (!(err instanceof NonRetryableError) || err.code !== 'scim_uniqueness' || (p.if_exists ?? 'fail') !== 'return') throw err;
      const existing = await scim.findByUserName(p.user_name);
      if (existing === undefined) {
        throw new NonRetryableError('scim_uniqueness', `SCIM service says userName ${JSON.stringify(p.user_name)} is taken, but no user by that name is visible to this token`);
      }
      ctx.log.log('info', `SCIM user ${p.user_name} already exists: returning it`, { id: existing['id'] });
      return summary(existing, false, undefined);
    }
  },
  plan(ctx) {
    const p = ctx.params;
    return `create SCIM user ${p.user_name}${p.active === false ? ' (inactive)' : ''}${p.if_exists === 'return' ? ', or return the existing one' : ''}`;
  },
});
