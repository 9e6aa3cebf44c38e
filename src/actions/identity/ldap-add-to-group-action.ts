import { type Static, Type } from '@sinclair/typebox';
import { NonRetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { defineAction } from '../define-action.js';
import { checkUnderBase, findUser, ldapError, withLdap, ldap } from './ldap-client.js';
import { rdn } from './ldap-dn.js';

const ID = 'ldap_add_to_group';
const MEMBER_ATTRIBUTES = ['member', 'uniqueMember', 'memberUid'] as const;
type MemberAttribute = (typeof MEMBER_ATTRIBUTES)[number];

const LdapAddToGroupParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type ldap: {url, bind_dn, password, base_dn, tls_ca?, starttls?}' }),
    group_dn: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: "DN of the group (under the credential's base DN); or give group_cn" })),
    group_cn: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Name of the group (cn), escaped into cn=<name>,<groups_dn>: a group name from event data cannot point elsewhere' })),
    groups_dn: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'With group_cn: where the groups are (default ou=groups,<base_dn>)' })),
    uid: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The user, by uid (searched under the base DN); or give user_dn' })),
    user_dn: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'The user, by DN' })),
    member_attribute: Type.Optional(Type.Union(MEMBER_ATTRIBUTES.map((a) => Type.Literal(a)), {
      description: "How the group lists members: member (groupOfNames, DNs), uniqueMember (groupOfUniqueNames, DNs) or memberUid (posixGroup, uids). Default: from the group's objectClass",
    })),
  },
  { additionalProperties: false },
);

const LdapAddToGroupOutput = Type.Object({
  group_dn: Type.String(),
  member_attribute: Type.String(),
  value: Type.String({ description: 'What was added: the user DN, or its uid for memberUid' }),
  changed: Type.Boolean({ description: 'false when the user was a member already' }),
});

type Params = Static<typeof LdapAddToGroupParams>;

function attributeFor(objectClasses: readonly string[]): MemberAttribute | undefined {
  const oc = new Set(objectClasses.map((c) => c.toLowerCase()));
  if (oc.has('groupofnames')) return 'member';
  if (oc.has('groupofuniquenames')) return 'uniqueMember';
  if (oc.has('posixgroup')) return 'memberUid';
  return undefined;
}

export const ldapAddToGroupAction = defineAction({
  id: ID,
  category: 'identity',
  name: 'Add LDAP User to Group',
  description: 'Adds a user to an LDAP group (groupOfNames member, groupOfUniqueNames uniqueMember or posixGroup memberUid). A user already in the group is no error: the step succeeds with changed: false.',
  params: LdapAddToGroupParams,
  output: LdapAddToGroupOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    if ((p.group_dn === undefined) === (p.group_cn === undefined)) throw invalidParam(ID, '/group_dn', 'give either group_dn or group_cn');
    return withLdap(ctx, p.credential_id, async (s) => {
      const groupDn = p.group_dn ?? `${rdn('cn', p.group_cn!)},${p.groups_dn ?? `ou=groups,${s.baseDn}`}`;
      checkUnderBase(ID, p.group_dn !== undefined ? '/group_dn' : '/groups_dn', groupDn, s.baseDn);
      const user = await findUser(ID, s, p);
      const group = await s.client.search(groupDn, { scope: 'base', attributes: ['objectClass'] }).catch((err: unknown) => {
        throw ldapError(s.target, err, `read group ${groupDn}`);
      });
      const oc = group.searchEntries[0]?.['objectClass'];
      const attribute = p.member_attribute ?? attributeFor((Array.isArray(oc) ? oc : [oc ?? '']).map(String));
      if (attribute === undefined) throw new NonRetryableError('ldap_not_a_group', `${groupDn} is not a groupOfNames, groupOfUniqueNames or posixGroup: set member_attribute`);
      let value = user.dn;
      if (attribute === 'memberUid') {
        if (user.uid === undefined) throw new NonRetryableError('ldap_no_uid', `${user.dn} has no uid to add as memberUid`);
        value = user.uid;
      }
      const isMember = await s.client.compare(groupDn, attribute, value).catch((err: unknown) => {
        // A group without any value of the attribute yet (an empty posixGroup).
        if (err instanceof ldap().NoSuchAttributeError) return false;
        throw ldapError(s.target, err, `read the members of ${groupDn}`);
      });
      if (isMember) {
        ctx.log.log('info', `${value} is a member of ${groupDn} already`);
        return { group_dn: groupDn, member_attribute: attribute, value, changed: false };
      }
      try {
        await s.client.modify(groupDn, new (ldap().Change)({ operation: 'add', modification: new (ldap().Attribute)({ type: attribute, values: [value] }) }));
      } catch (err) {
        // Added by someone else between our compare and our modify.
        if (err instanceof ldap().TypeOrValueExistsError) return { group_dn: groupDn, member_attribute: attribute, value, changed: false };
        throw ldapError(s.target, err, `add ${value} to ${groupDn}`);
      }
      ctx.log.log('info', `added ${value} to ${groupDn} (${attribute})`);
      return { group_dn: groupDn, member_attribute: attribute, value, changed: true };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const group = p.group_dn ?? `${rdn('cn', p.group_cn ?? '?')},${p.groups_dn ?? 'ou=groups,<base DN>'}`;
    return `add ${p.uid !== undefined ? `uid ${p.uid}` : (p.user_dn ?? '?')} to LDAP group ${group}${p.member_attribute ? ` (${p.member_attribute})` : ''} with credential ${p.credential_id}`;
  },
});
