import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedServices } from '../../../test/support/brokers.js';
import { ldapCredential, readEntry, startSlapd, type Slapd } from '../../../test/support/slapd.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { ldapAddToGroupAction } from './ldap-add-to-group-action.js';

type Params = Parameters<typeof ldapAddToGroupAction.run>[0]['params'];

let slapd: Slapd;
let creds: ResolvedCredential[];
const BASE = 'dc=example,dc=com';
const USER = `uid=asmith,ou=people,${BASE}`;
const OPS = `cn=ops,ou=groups,${BASE}`;
const UNIX = `cn=unix-ops,ou=groups,${BASE}`;
const UNIQUE = `cn=auditors,ou=groups,${BASE}`;

beforeAll(async () => {
  slapd = await startSlapd();
  creds = [ldapCredential(slapd), ldapCredential(slapd, 'bound-elsewhere', {}, ['ldap.example.com'])];
  const c = await slapd.admin();
  await c.add(USER, { objectClass: ['inetOrgPerson'], uid: 'asmith', cn: 'Alex Smith', sn: 'Smith' });
  await c.add(`uid=x\\2a,ou=people,${BASE}`, { objectClass: ['inetOrgPerson'], uid: 'x*', cn: 'Star', sn: 'Star' });
  await c.add(OPS, { objectClass: 'groupOfNames', cn: 'ops', member: `cn=admin,${BASE}` });
  await c.add(UNIX, { objectClass: 'posixGroup', cn: 'unix-ops', gidNumber: '5000' });
  await c.add(UNIQUE, { objectClass: 'groupOfUniqueNames', cn: 'auditors', uniqueMember: `cn=admin,${BASE}` });
  await c.unbind();
});
afterAll(() => slapd.close());

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: ldapAddToGroupAction.run(ctx) };
}

describe('ldap_add_to_group against slapd', () => {
  it('adds a user found by uid to a groupOfNames as member, then reports changed: false the second time', async () => {
    await expect(run({ credential_id: 'ldap', group_dn: OPS, uid: 'asmith' }).result).resolves.toEqual({ group_dn: OPS, member_attribute: 'member', value: USER, changed: true });
    expect((await readEntry(slapd, OPS))!['member']).toEqual([`cn=admin,${BASE}`, USER]);
    await expect(run({ credential_id: 'ldap', group_dn: OPS, user_dn: USER }).result).resolves.toMatchObject({ changed: false });
    expect((await readEntry(slapd, OPS))!['member']).toHaveLength(2);
  });

  it('adds the uid to a posixGroup as memberUid and the DN to a groupOfUniqueNames, from their objectClass', async () => {
    await expect(run({ credential_id: 'ldap', group_dn: UNIX, uid: 'asmith' }).result).resolves.toMatchObject({ member_attribute: 'memberUid', value: 'asmith', changed: true });
    expect((await readEntry(slapd, UNIX))!['memberUid']).toBe('asmith');
    await expect(run({ credential_id: 'ldap', group_dn: UNIX, uid: 'asmith' }).result).resolves.toMatchObject({ changed: false });
    await expect(run({ credential_id: 'ldap', group_dn: UNIQUE, user_dn: USER }).result).resolves.toMatchObject({ member_attribute: 'uniqueMember', changed: true });
  });

  it('searches for a uid with wildcard characters literally (RFC 4515 escaping)', async () => {
    const out = await run({ credential_id: 'ldap', group_dn: UNIX, uid: 'x*' }).result;
    expect(out).toMatchObject({ value: 'x*', changed: true });
    await expect(run({ credential_id: 'ldap', group_dn: UNIX, uid: '*' }).result).rejects.toMatchObject({ code: 'ldap_no_such_object' });
  });

  it('takes the group by name, escaped: a hostile name cannot reach another group', async () => {
    await expect(run({ credential_id: 'ldap', group_cn: 'ops', uid: 'x*' }).result).resolves.toMatchObject({ group_dn: OPS, changed: true });
    const before = await readEntry(slapd, UNIQUE);
    const err = await run({ credential_id: 'ldap', group_cn: `auditors,ou=groups,${BASE}`, uid: 'x*' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ldap_no_such_object', message: expect.stringContaining('cn=auditors\\,ou\\=groups') });
    expect(await readEntry(slapd, UNIQUE)).toEqual(before);
  });

  it('fails clearly on a missing group or user, and on an entry that is not a group', async () => {
    await expect(run({ credential_id: 'ldap', group_dn: `cn=nope,ou=groups,${BASE}`, uid: 'asmith' }).result).rejects.toMatchObject({ code: 'ldap_no_such_object', retryable: false });
    await expect(run({ credential_id: 'ldap', group_dn: OPS, uid: 'ghost' }).result).rejects.toMatchObject({ code: 'ldap_no_such_object', message: expect.stringContaining('ghost') });
    await expect(run({ credential_id: 'ldap', group_dn: `ou=people,${BASE}`, uid: 'asmith' }).result).rejects.toMatchObject({ code: 'ldap_not_a_group' });
  });
});

describe('ldap_add_to_group refusals', () => {
  it('refuses a group or user outside the base DN, and neither or both of uid and user_dn', async () => {
    await expect(run({ credential_id: 'ldap', group_dn: 'cn=ops,dc=evil,dc=org', uid: 'asmith' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/group_dn' } });
    await expect(run({ credential_id: 'ldap', group_dn: OPS, user_dn: 'uid=x,dc=evil,dc=org' }).result).rejects.toMatchObject({ details: { path: '/user_dn' } });
    await expect(run({ credential_id: 'ldap', group_dn: OPS }).result).rejects.toMatchObject({ details: { path: '/uid' } });
    await expect(run({ credential_id: 'ldap', group_dn: OPS, uid: 'asmith', user_dn: USER }).result).rejects.toMatchObject({ details: { path: '/uid' } });
    await expect(run({ credential_id: 'ldap', uid: 'asmith' }).result).rejects.toMatchObject({ details: { path: '/group_dn' } });
    await expect(run({ credential_id: 'ldap', group_cn: 'ops', groups_dn: 'ou=groups,dc=evil,dc=org', uid: 'asmith' }).result).rejects.toMatchObject({ details: { path: '/groups_dn' } });
  });

  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services } = guardedServices();
    await expect(run({ credential_id: 'ldap', group_dn: OPS, uid: 'asmith' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'bound-elsewhere', group_dn: OPS, uid: 'asmith' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ group_dn: '' }, '/group_dn'],
    [{ member_attribute: 'owner' }, '/member_attribute'],
    [{ group: 'ops' }, '/group'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(ldapAddToGroupAction.params, { credential_id: 'ldap', group_dn: OPS, uid: 'a', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans the user and group', () => {
    expect(ldapAddToGroupAction.plan?.(testContext({ credential_id: 'ldap', group_dn: OPS, uid: 'asmith' }).ctx)).toBe(`add uid asmith to LDAP group ${OPS} with credential ldap`);
  });
});
