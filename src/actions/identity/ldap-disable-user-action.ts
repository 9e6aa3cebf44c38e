import { type Static, Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';
import { defineAction } from '../define-action.js';
import { checkUnderBase, findUser, ldapError, withLdap, type LdapSession, ldap } from './ldap-client.js';
import { firstRdn, normalizeDn, parentDn } from './ldap-dn.js';

const ID = 'ldap_disable_user';
/** ppolicy (draft-behera-ldap-password-policy): this value locks the account until an administrator clears it. */
const PERMANENT_LOCK = '000001010000Z';

const LdapDisableUserParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type ldap: {url, bind_dn, password, base_dn, tls_ca?, starttls?}' }),
    uid: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The user, by uid (searched under the base DN); or give user_dn' })),
    user_dn: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'The user, by DN' })),
    method: Type.Optional(Type.Union([Type.Literal('lock'), Type.Literal('attribute'), Type.Literal('move')], {
      description: "How: lock (default) sets ppolicy's pwdAccountLockedTime to 000001010000Z, a lock only an administrator lifts (OpenLDAP with the ppolicy overlay); attribute sets disabled_attribute to disabled_value (389-DS/FreeIPA nsAccountLock: TRUE, shadowExpire: 1…); move moves the entry under disabled_parent_dn",
    })),
    disabled_attribute: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9-]*$', description: 'With method attribute: the attribute to set (nsAccountLock, shadowExpire, loginShell…)' })),
    disabled_value: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'With method attribute: its value (default TRUE)' })),
    disabled_parent_dn: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'With method move: where disabled users go (under the base DN); default ou=disabled,<base_dn>' })),
  },
  { additionalProperties: false },
);

const LdapDisableUserOutput = Type.Object({
  dn: Type.String({ description: 'DN of the user after the step (moved: the new DN)' }),
  method: Type.String(),
  changed: Type.Boolean({ description: 'false when the user was disabled this way already' }),
});

type Params = Static<typeof LdapDisableUserParams>;

async function currentValues(s: LdapSession, dn: string, attribute: string): Promise<string[]> {
  const r = await s.client.search(dn, { scope: 'base', attributes: [attribute] }).catch((err: unknown) => {
    throw ldapError(s.target, err, `read ${dn}`);
  });
  const entry: Record<string, unknown> = r.searchEntries[0] ?? {};
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key === undefined ? [] : entry[key];
  return (Array.isArray(v) ? (v as unknown[]) : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)));
}

async function setAttribute(s: LdapSession, dn: string, attribute: string, value: string): Promise<boolean> {
  const now = await currentValues(s, dn, attribute);
  if (now.length === 1 && now[0] === value) return false;
  await s.client.modify(dn, new (ldap().Change)({ operation: 'replace', modification: new (ldap().Attribute)({ type: attribute, values: [value] }) })).catch((err: unknown) => {
    throw ldapError(s.target, err, `set ${attribute} on ${dn}`);
  });
  return true;
}

export const ldapDisableUserAction = defineAction({
  id: ID,
  category: 'identity',
  name: 'Disable LDAP User',
  description: 'Disables a user in an LDAP directory without deleting it: locks the account (ppolicy pwdAccountLockedTime), sets an attribute of your directory (nsAccountLock, shadowExpire…), or moves the entry to a disabled-users OU. Disabling a disabled user succeeds with changed: false.',
  params: LdapDisableUserParams,
  output: LdapDisableUserOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const method = p.method ?? 'lock';
    if (method === 'attribute' && p.disabled_attribute === undefined) throw invalidParam(ID, '/disabled_attribute', 'method attribute needs disabled_attribute');
    return withLdap(ctx, p.credential_id, async (s) => {
      const { dn } = await findUser(ID, s, p);
      switch (method) {
        case 'lock': {
          const changed = await setAttribute(s, dn, 'pwdAccountLockedTime', PERMANENT_LOCK);
          ctx.log.log('info', changed ? `locked LDAP account ${dn}` : `LDAP account ${dn} was locked already`);
          return { dn, method, changed };
        }
        case 'attribute': {
          const value = p.disabled_value ?? 'TRUE';
          const changed = await setAttribute(s, dn, p.disabled_attribute!, value);
          ctx.log.log('info', changed ? `set ${p.disabled_attribute} on ${dn}` : `${dn} had ${p.disabled_attribute} set already`);
          return { dn, method, changed };
        }
        case 'move': {
          const target = p.disabled_parent_dn ?? `ou=disabled,${s.baseDn}`;
          checkUnderBase(ID, '/disabled_parent_dn', target, s.baseDn);
          if (normalizeDn(parentDn(dn)) === normalizeDn(target)) return { dn, method, changed: false };
          const moved = `${firstRdn(dn)},${target}`;
          await s.client.modifyDN(dn, moved).catch((err: unknown) => {
            throw ldapError(s.target, err, `move ${dn} to ${target}`);
          });
          ctx.log.log('info', `moved LDAP entry ${dn} to ${moved}`);
          return { dn: moved, method, changed: true };
        }
        default: {
          const never: never = method;
          throw new Error(`unknown method ${String(never)}`);
        }
      }
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const who = p.uid !== undefined ? `uid ${p.uid}` : (p.user_dn ?? '?');
    const method = p.method ?? 'lock';
    const how = method === 'lock' ? 'lock (pwdAccountLockedTime)' : method === 'attribute' ? `set ${p.disabled_attribute ?? '?'}=${p.disabled_value ?? 'TRUE'}` : `move under ${p.disabled_parent_dn ?? 'ou=disabled,<base DN>'}`;
    return `disable LDAP user ${who}: ${how} with credential ${p.credential_id}`;
  },
});
