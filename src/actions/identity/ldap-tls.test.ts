import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntry, startSlapd, type Slapd } from '../../../test/support/slapd.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { ldapCreateUserAction } from './ldap-create-user-action.js';

// slapd with a certificate for `localhost` signed by a test CA: the connection goes to the address
// the egress policy judged (127.0.0.1) while the certificate is checked for the credential's host name.
let slapd: Slapd;
let creds: ResolvedCredential[];

beforeAll(async () => {
  slapd = await startSlapd({ tls: true });
  const base = { bind_dn: slapd.adminDn, password: slapd.adminPassword, base_dn: slapd.baseDn };
  creds = [
    { id: 'ldaps', type: 'ldap', data: { ...base, url: slapd.ldapsUrl!, tls_ca: slapd.caPem! } },
    { id: 'ldaps-no-ca', type: 'ldap', data: { ...base, url: slapd.ldapsUrl! } },
    { id: 'starttls', type: 'ldap', data: { ...base, url: `ldap://localhost:${slapd.port}`, starttls: 'true', tls_ca: slapd.caPem! } },
    { id: 'ldaps-other-ca', type: 'ldap', data: { ...base, url: slapd.ldapsUrl!, tls_ca: otherCa() } },
  ];
});
afterAll(() => slapd.close());

/** A real CA that signed nothing here. */
function otherCa(): string {
  const dir = mkdtempSync(join(tmpdir(), 'itw-other-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=other CA', '-days', '2', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(id: string, uid: string) {
  const { ctx } = testContext({ credential_id: id, uid, surname: 'Tls' }, creds);
  return ldapCreateUserAction.run(ctx);
}

describe('LDAP over TLS', () => {
  it('connects with ldaps:// and with StartTLS, checking the certificate against tls_ca for the host name', async () => {
    await expect(run('ldaps', 'over-ldaps')).resolves.toMatchObject({ created: true });
    await expect(run('starttls', 'over-starttls')).resolves.toMatchObject({ created: true });
    expect(await readEntry(slapd, 'uid=over-ldaps,ou=people,dc=example,dc=com')).toBeDefined();
    expect(await readEntry(slapd, 'uid=over-starttls,ou=people,dc=example,dc=com')).toBeDefined();
  });

  it('refuses a certificate the system CAs or another tls_ca do not vouch for, sending nothing', async () => {
    await expect(run('ldaps-no-ca', 'untrusted')).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/certificate/i) });
    await expect(run('ldaps-other-ca', 'untrusted')).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/certificate/i) });
    expect(await readEntry(slapd, 'uid=untrusted,ou=people,dc=example,dc=com')).toBeUndefined();
  });
});
