import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { NonRetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { ScimClient } from './scim-client.js';

const ID = 'scim_deactivate_user';

const Params = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type scim: {base_url, token}' }),
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The service\'s id of the user' })),
    user_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Find the user by userName instead of id' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  id: Type.String(),
  user_name: Type.Optional(Type.String()),
  active: Type.Boolean({ description: 'False once deactivated' }),
});

export const scimDeactivateUserAction = defineAction({
  id: ID,
  // Setting active to false twice changes nothing: retries are safe.
  retry: SAAS_RETRY,
  category: 'identity',
  name: 'SCIM Deactivate User',
  description:
    'Deactivates a user over SCIM 2.0 (RFC 7644): PATCH /Users/{id} replacing active with false, so the account can no ' +
    'longer sign in but is kept. Finds the id by userName when given one.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    if ((p.id === undefined) === (p.user_name === undefined)) throw invalidParam(ID, '/id', 'give either id or user_name');
    const scim = new ScimClient(await ctx.credentials.get(p.credential_id, ['scim']), outbound(ctx));
    let id = p.id;
    if (id === undefined) {
      const found = await scim.findByUserName(p.user_name!);
      if (found === undefined || typeof found['id'] !== 'string') throw new NonRetryableError('scim_not_found', `SCIM service has no user with userName ${JSON.stringify(p.user_name)}`);
      id = found['id'];
    }
    const updated = await scim.patchUser(id, [{ op: 'replace', value: { active: false } }]);
    if (updated !== undefined && updated['active'] === true) {
      throw new NonRetryableError('scim_not_deactivated', `SCIM service answered the PATCH but user ${id} is still active`);
    }
    ctx.log.log('info', `deactivated SCIM user ${p.user_name ?? id}`, { id });
    const userName = typeof updated?.['userName'] === 'string' ? updated['userName'] : p.user_name;
    return { id, active: false, ...(userName !== undefined ? { user_name: userName } : {}) };
  },
  plan(ctx) {
    const p = ctx.params;
    return `deactivate SCIM user ${p.user_name ?? p.id ?? '?'}`;
  },
});
