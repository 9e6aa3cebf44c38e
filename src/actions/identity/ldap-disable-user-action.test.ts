import { Value } from '@sinclair/typebox/value';
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedServices } from '../../../test/support/brokers.js';
import { ldapCredential, readEntry, startSlapd, type Slapd } from '../../../test/support/slapd.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { ldapDisableUserAction } from './ldap-disable-user-action.js';

type Params = Parameters<typeof ldapDisableUserAction.run>[0]['params'];

let slapd: Slapd;
let creds: ResolvedCredential[];
const BASE = 'dc=example,dc=com';
const people = (uid: string) => `uid=${uid},ou=people,${BASE}`;

beforeAll(async () => {
  slapd = await startSlapd();
  creds = [ldapCredential(slapd), ldapCredential(slapd, 'bound-elsewhere', {}, ['ldap.example.com'])];
  const c = await slapd.admin();
  for (const uid of ['locked', 'shell', 'mover']) {
    await c.add(people(uid), { objectClass: ['inetOrgPerson', 'posixAccount'], uid, cn: uid, sn: uid, uidNumber: '2000', gidNumber: '2000', homeDirectory: `/home/${uid}`, loginShell: '/bin/bash', userPassword: 'user-pass-1' });
  }
  await c.unbind();
});
afterAll(() => slapd.close());

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: ldapDisableUserAction.run(ctx) };
}

describe('ldap_disable_user against slapd', () => {
  it('locks the account with ppolicy: the user can no longer bind; a second run changes nothing', async () => {
    const user = new Client({ url: slapd.url });
    await user.bind(people('locked'), 'user-pass-1');
    await user.unbind();
    await expect(run({ credential_id: 'ldap', uid: 'locked' }).result).resolves.toEqual({ dn: people('locked'), method: 'lock', changed: true });
    expect(await readEntry(slapd, people('locked'), ['pwdAccountLockedTime'])).toMatchObject({ pwdAccountLockedTime: '000001010000Z' });
    const again = new Client({ url: slapd.url });
    await expect(again.bind(people('locked'), 'user-pass-1')).rejects.toMatchObject({ code: 49 }); // invalidCredentials: the lock is not revealed
    await again.unbind();
    await expect(run({ credential_id: 'ldap', user_dn: people('locked') }).result).resolves.toMatchObject({ changed: false });
  });

  it('sets a configured attribute (loginShell) instead', async () => {
    await expect(run({ credential_id: 'ldap', uid: 'shell', method: 'attribute', disabled_attribute: 'loginShell', disabled_value: '/usr/sbin/nologin' }).result).resolves.toEqual({
      dn: people('shell'), method: 'attribute', changed: true,
    });
    expect(await readEntry(slapd, people('shell'))).toMatchObject({ loginShell: '/usr/sbin/nologin' });
    await expect(run({ credential_id: 'ldap', uid: 'shell', method: 'attribute', disabled_attribute: 'loginShell', disabled_value: '/usr/sbin/nologin' }).result).resolves.toMatchObject({ changed: false });
  });

  it('moves the entry under ou=disabled, keeping its RDN; a second run changes nothing', async () => {
    const moved = `uid=mover,ou=disabled,${BASE}`;
    await expect(run({ credential_id: 'ldap', uid: 'mover', method: 'move' }).result).resolves.toEqual({ dn: moved, method: 'move', changed: true });
    expect(await readEntry(slapd, people('mover'))).toBeUndefined();
    expect(await readEntry(slapd, moved)).toMatchObject({ uid: 'mover' });
    await expect(run({ credential_id: 'ldap', uid: 'mover', method: 'move' }).result).resolves.toEqual({ dn: moved, method: 'move', changed: false });
  });

  it('fails clearly for a user that does not exist', async () => {
    await expect(run({ credential_id: 'ldap', uid: 'ghost' }).result).rejects.toMatchObject({ code: 'ldap_no_such_object', retryable: false });
    await expect(run({ credential_id: 'ldap', user_dn: people('ghost') }).result).rejects.toMatchObject({ code: 'ldap_no_such_object' });
  });
});

describe('ldap_disable_user refusals', () => {
  it('needs disabled_attribute for method attribute, and keeps moves inside the base DN', async () => {
    await expect(run({ credential_id: 'ldap', uid: 'shell', method: 'attribute' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/disabled_attribute' } });
    await expect(run({ credential_id: 'ldap', uid: 'shell', method: 'move', disabled_parent_dn: 'ou=x,dc=evil,dc=org' }).result).rejects.toMatchObject({ details: { path: '/disabled_parent_dn' } });
    expect(await readEntry(slapd, people('shell'))).toBeDefined();
  });

  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services } = guardedServices();
    await expect(run({ credential_id: 'ldap', uid: 'shell' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'bound-elsewhere', uid: 'shell' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ method: 'delete' }, '/method'],
    [{ disabled_attribute: 'bad attr' }, '/disabled_attribute'],
    [{ uid: '' }, '/uid'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(ldapDisableUserAction.params, { credential_id: 'ldap', uid: 'a', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans each method', () => {
    const plan = (params: Params) => ldapDisableUserAction.plan?.(testContext(params).ctx);
    expect(plan({ credential_id: 'ldap', uid: 'a' })).toBe('disable LDAP user uid a: lock (pwdAccountLockedTime) with credential ldap');
    expect(plan({ credential_id: 'ldap', uid: 'a', method: 'attribute', disabled_attribute: 'nsAccountLock' })).toBe('disable LDAP user uid a: set nsAccountLock=TRUE with credential ldap');
    expect(plan({ credential_id: 'ldap', uid: 'a', method: 'move' })).toBe('disable LDAP user uid a: move under ou=disabled,<base DN> with credential ldap');
  });
});
