import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedServices } from '../../../test/support/brokers.js';
import { ldapCredential, readEntry, startSlapd, type Slapd } from '../../../test/support/slapd.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { ldapCreateUserAction } from './ldap-create-user-action.js';

type Params = Parameters<typeof ldapCreateUserAction.run>[0]['params'];

let slapd: Slapd;
let creds: ResolvedCredential[];
const PEOPLE = 'ou=people,dc=example,dc=com';

beforeAll(async () => {
  slapd = await startSlapd();
  creds = [
    ldapCredential(slapd),
    ldapCredential(slapd, 'wrong-pass', { password: 'not-the-admin-pass-77' }),
    ldapCredential(slapd, 'bound-elsewhere', {}, ['ldap.example.com']),
    { id: 'closed', type: 'ldap', data: { url: 'ldap://127.0.0.1:1', bind_dn: slapd.adminDn, password: 'x-secret-x', base_dn: slapd.baseDn } },
  ];
  const c = await slapd.admin();
  await c.add('ou=admins,dc=example,dc=com', { objectClass: 'organizationalUnit', ou: 'admins' });
  await c.unbind();
});
afterAll(() => slapd.close());

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: ldapCreateUserAction.run(ctx) };
}

describe('ldap_create_user against slapd', () => {
  it('adds an inetOrgPerson with posixAccount and extra attributes, readable back', async () => {
    const { result, lines } = run({
      credential_id: 'ldap', uid: 'jdoe', given_name: 'Jane', surname: 'Doe', mail: 'jane@example.com', title: 'SRE',
      posix: { uid_number: 10001, gid_number: 10000 }, attributes: { departmentNumber: 'ops', mobile: ['+1 555 0100', '+1 555 0101'] },
    });
    expect(await result).toEqual({ dn: `uid=jdoe,${PEOPLE}`, uid: 'jdoe', created: true });
    const entry = await readEntry(slapd, `uid=jdoe,${PEOPLE}`);
    expect(entry).toMatchObject({
      uid: 'jdoe', cn: 'Jane Doe', sn: 'Doe', givenName: 'Jane', mail: 'jane@example.com', title: 'SRE',
      uidNumber: '10001', gidNumber: '10000', homeDirectory: '/home/jdoe', loginShell: '/bin/bash', departmentNumber: 'ops', mobile: ['+1 555 0100', '+1 555 0101'],
    });
    expect(entry!['objectClass']).toEqual(expect.arrayContaining(['inetOrgPerson', 'posixAccount']));
    expect(entry!['userPassword']).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(slapd.adminPassword);
  });

  it('keeps a hostile uid inside one RDN: the entry lands under ou=people, not ou=admins', async () => {
    const uid = 'x,ou=admins';
    const out = await run({ credential_id: 'ldap', uid, surname: 'Mallory' }).result;
    expect(out.dn).toBe(`uid=x\\,ou\\=admins,${PEOPLE}`);
    const c = await slapd.admin();
    try {
      const inAdmins = await c.search('ou=admins,dc=example,dc=com', { scope: 'one' });
      expect(inAdmins.searchEntries).toEqual([]);
      const inPeople = await c.search(PEOPLE, { scope: 'one', filter: '(sn=Mallory)', attributes: ['uid'] });
      expect(inPeople.searchEntries.map((e) => e['uid'])).toEqual([uid]);
    } finally {
      await c.unbind();
    }
  });

  it('fails on an existing entry, or skips it with created: false', async () => {
    await run({ credential_id: 'ldap', uid: 'twice', surname: 'Twice' }).result;
    await expect(run({ credential_id: 'ldap', uid: 'twice', surname: 'Twice' }).result).rejects.toMatchObject({ code: 'ldap_already_exists', retryable: false });
    await expect(run({ credential_id: 'ldap', uid: 'twice', surname: 'Twice', if_exists: 'skip' }).result).resolves.toEqual({ dn: `uid=twice,${PEOPLE}`, uid: 'twice', created: false });
  });

  it('passes on the directory\'s schema errors, not retryable', async () => {
    await expect(run({ credential_id: 'ldap', uid: 'schema', surname: 'S', attributes: { noSuchAttribute: 'x' } }).result).rejects.toMatchObject({
      code: 'ldap_undefined_attribute', retryable: false, message: expect.stringContaining('noSuchAttribute'),
    });
  });

  it('reports a wrong bind password without it, and an unreachable server as retryable', async () => {
    const err: unknown = await run({ credential_id: 'wrong-pass', uid: 'x', surname: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ldap_auth_failed', retryable: false });
    expect((err as Error).message).not.toContain('not-the-admin-pass-77');
    await expect(run({ credential_id: 'closed', uid: 'x', surname: 'x' }).result).rejects.toMatchObject({ code: 'ldap_unavailable', retryable: true });
  });
});

describe('ldap_create_user refusals', () => {
  it('refuses a parent_dn outside the base DN, and reserved attributes, naming the param', async () => {
    await expect(run({ credential_id: 'ldap', uid: 'out', surname: 'x', parent_dn: 'ou=people,dc=evil,dc=org' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/parent_dn' } });
    await expect(run({ credential_id: 'ldap', uid: 'pw', surname: 'x', attributes: { userPassword: 'hunter2' } }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/attributes/userPassword' } });
    await expect(run({ credential_id: 'ldap', uid: 'oc', surname: 'x', attributes: { objectClass: 'device' } }).result).rejects.toMatchObject({ details: { path: '/attributes/objectClass' } });
    expect(await readEntry(slapd, `uid=out,${PEOPLE}`)).toBeUndefined();
  });

  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'ldap', uid: 'x', surname: 'x' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(refusals).toMatchObject([{ code: 'egress_denied', protocol: 'ldap' }]);
    await expect(run({ credential_id: 'bound-elsewhere', uid: 'x', surname: 'x' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ uid: '' }, '/uid'],
    [{ mail: 'not-an-address' }, '/mail'],
    [{ posix: { uid_number: -1, gid_number: 1 } }, '/posix/uid_number'],
    [{ posix: { uid_number: 1, gid_number: 1, home_directory: 'relative' } }, '/posix/home_directory'],
    [{ attributes: { 'bad name': 'x' } }, '/attributes/bad name'],
    [{ if_exists: 'overwrite' }, '/if_exists'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(ldapCreateUserAction.params, { credential_id: 'ldap', uid: 'u', surname: 's', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans the escaped DN', () => {
    expect(ldapCreateUserAction.plan?.(testContext({ credential_id: 'ldap', uid: 'a,b', surname: 's', posix: { uid_number: 5, gid_number: 5 } }).ctx)).toBe(
      'add LDAP user uid=a\\,b under ou=people,<base DN> (posixAccount, uidNumber 5) with credential ldap',
    );
  });
});
