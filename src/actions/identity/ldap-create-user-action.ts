import { type Static, Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';
import { defineAction } from '../define-action.js';
import { checkUnderBase, ldapError, withLdap, ldap } from './ldap-client.js';
import { rdn } from './ldap-dn.js';

const ID = 'ldap_create_user';
const ATTRIBUTE_NAME = '^[A-Za-z][A-Za-z0-9-]*$';
// Set by the action from its own params, or never from a workflow (a password belongs to a reset flow, not a workflow param).
const RESERVED = new Set(['objectclass', 'uid', 'cn', 'sn', 'givenname', 'mail', 'uidnumber', 'gidnumber', 'homedirectory', 'loginshell', 'userpassword']);

const text = (description: string, max = 256) => Type.String({ minLength: 1, maxLength: max, description });

const LdapCreateUserParams = Type.Object(
  {
    credential_id: text('Credential of type ldap: {url, bind_dn, password, base_dn, tls_ca?, starttls?}'),
    uid: text('Login name (uid); any characters: it is escaped in the DN', 128),
    surname: text('Last name (sn, required by inetOrgPerson)'),
    given_name: Type.Optional(text('First name (givenName)')),
    common_name: Type.Optional(text('Full name (cn); default: "given_name surname", or surname')),
    display_name: Type.Optional(text('Display name')),
    mail: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 256, description: 'Email address' })),
    title: Type.Optional(text('Job title')),
    telephone_number: Type.Optional(text('Phone number', 64)),
    parent_dn: Type.Optional(text('Where the entry goes (under the credential\'s base DN); default ou=people,<base_dn>', 1024)),
    posix: Type.Optional(Type.Object({
      uid_number: Type.Integer({ minimum: 0, maximum: 4294967295, description: 'uidNumber' }),
      gid_number: Type.Integer({ minimum: 0, maximum: 4294967295, description: 'gidNumber (primary group)' }),
      home_directory: Type.Optional(Type.String({ pattern: '^/', maxLength: 1024, description: 'Default /home/<uid>' })),
      login_shell: Type.Optional(Type.String({ pattern: '^/', maxLength: 256, description: 'Default /bin/bash' })),
    }, { additionalProperties: false, description: 'Adds posixAccount: a Unix login for hosts reading the directory (nss/sssd)' })),
    attributes: Type.Optional(Type.Record(Type.String({ pattern: ATTRIBUTE_NAME }), Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 100 })]), {
      additionalProperties: false,
      description: 'More attributes of inetOrgPerson (departmentNumber, employeeNumber, mobile, manager…); not objectClass, uid, cn or userPassword',
    })),
    if_exists: Type.Optional(Type.Union([Type.Literal('fail'), Type.Literal('skip')], {
      description: 'When the entry already exists: fail (default) or skip, succeeding with created: false',
    })),
  },
  { additionalProperties: false },
);

const LdapCreateUserOutput = Type.Object({
  dn: Type.String({ description: 'DN of the entry' }),
  uid: Type.String(),
  created: Type.Boolean({ description: 'false when the entry existed and if_exists is skip' }),
});

type Params = Static<typeof LdapCreateUserParams>;

function entryOf(p: Params): Record<string, string | string[]> {
  const cn = p.common_name ?? (p.given_name ? `${p.given_name} ${p.surname}` : p.surname);
  const entry: Record<string, string | string[]> = {
    objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson', ...(p.posix ? ['posixAccount'] : [])],
    uid: p.uid, sn: p.surname, cn,
  };
  const optional: Array<[string, string | undefined]> = [
    ['givenName', p.given_name], ['displayName', p.display_name], ['mail', p.mail], ['title', p.title], ['telephoneNumber', p.telephone_number],
  ];
  for (const [k, v] of optional) if (v !== undefined) entry[k] = v;
  if (p.posix) {
    entry['uidNumber'] = String(p.posix.uid_number);
    entry['gidNumber'] = String(p.posix.gid_number);
    entry['homeDirectory'] = p.posix.home_directory ?? `/home/${p.uid}`;
    entry['loginShell'] = p.posix.login_shell ?? '/bin/bash';
  }
  for (const [k, v] of Object.entries(p.attributes ?? {})) entry[k] = v;
  return entry;
}

export const ldapCreateUserAction = defineAction({
  id: ID,
  category: 'identity',
  name: 'Create LDAP User',
  description: 'Adds a user entry (inetOrgPerson, plus posixAccount when `posix` is given) to an LDAP directory such as OpenLDAP or 389-DS, named uid=<uid> under parent_dn. No password is set: give the user one through your reset flow.',
  params: LdapCreateUserParams,
  output: LdapCreateUserOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const reserved = Object.keys(p.attributes ?? {}).find((k) => RESERVED.has(k.toLowerCase()));
    if (reserved !== undefined) throw invalidParam(ID, `/attributes/${reserved}`, `${reserved} is set by the action's own params (or never, for userPassword)`);
    return withLdap(ctx, p.credential_id, async (s) => {
      const parent = p.parent_dn ?? `ou=people,${s.baseDn}`;
      checkUnderBase(ID, '/parent_dn', parent, s.baseDn);
      const dn = `${rdn('uid', p.uid)},${parent}`;
      try {
        await s.client.add(dn, entryOf(p));
      } catch (err) {
        if (err instanceof ldap().AlreadyExistsError && p.if_exists === 'skip') {
          ctx.log.log('info', `LDAP entry ${dn} exists already: skipped`);
          return { dn, uid: p.uid, created: false };
        }
        throw ldapError(s.target, err, `add ${dn}`);
      }
      ctx.log.log('info', `created LDAP entry ${dn}`);
      return { dn, uid: p.uid, created: true };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `add LDAP user ${rdn('uid', p.uid)} under ${p.parent_dn ?? 'ou=people,<base DN>'}${p.posix ? ` (posixAccount, uidNumber ${p.posix.uid_number})` : ''} with credential ${p.credential_id}`;
  },
});
