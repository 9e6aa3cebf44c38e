// A real OpenLDAP server (slapd, mdb backend, ppolicy overlay) on loopback with its config and
// database in a temp dir, for the LDAP action tests. Needs slapd (apt-get install slapd ldap-utils);
// without it the tests fail and say so rather than passing silently.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { freePort, accepting } from './ports.js';

const SLAPD = '/usr/sbin/slapd';

export interface Slapd {
  readonly url: string;
  readonly port: number;
  /** ldaps:// on its own port, with a certificate for `localhost` signed by `caPem` (with `tls: true`). */
  readonly ldapsUrl: string | undefined;
  /** PEM of the CA that signed the server certificate (with `tls: true`). */
  readonly caPem: string | undefined;
  readonly baseDn: string;
  readonly adminDn: string;
  readonly adminPassword: string;
  /** A client bound as the admin, for seeding and checking entries. */
  admin(): Promise<Client>;
  close(): void;
}

/** A CA and a server certificate for `localhost` (and 127.0.0.1) it signed, in `dir`. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=itw test CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.pem');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem');
}

export async function startSlapd(opts: { tls?: boolean } = {}): Promise<Slapd> {
  if (!existsSync(SLAPD)) throw new Error(`the LDAP tests need ${SLAPD} (apt-get install slapd ldap-utils)`);
  const dir = mkdtempSync(join(tmpdir(), 'itw-slapd-'));
  mkdirSync(join(dir, 'db'));
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : undefined;
  if (opts.tls) makeCertificates(dir);
  const baseDn = 'dc=example,dc=com';
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = 'ldap-admin-secret-3141';
  writeFileSync(join(dir, 'slapd.conf'), [
    ...['core', 'cosine', 'nis', 'inetorgperson'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload ppolicy',
    `pidfile ${join(dir, 'slapd.pid')}`,
    'database mdb',
    `suffix "${baseDn}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${adminPassword}`,
    `directory ${join(dir, 'db')}`,
    'maxsize 10485760',
    'index objectClass eq',
    'overlay ppolicy',
    // ppolicy applies (pwdAccountLockedTime locks) only to entries a policy governs: a default one for all.
    `ppolicy_default "cn=default,ou=policies,${baseDn}"`,
  ].join('\n'));
  if (opts.tls) {
    // Global TLS directives must come before the first database: prepend them.
    const conf = join(dir, 'slapd.conf');
    const tlsLines = [`TLSCACertificateFile ${join(dir, 'ca.pem')}`, `TLSCertificateFile ${join(dir, 'server.pem')}`, `TLSCertificateKeyFile ${join(dir, 'server.key')}`];
    writeFileSync(conf, `${tlsLines.join('\n')}\n${readFileSync(conf, 'utf8')}`);
  }
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tlsPort !== undefined ? `ldaps://localhost:${tlsPort}` : undefined;
  const listen = ldapsUrl !== undefined ? `${url} ldaps://127.0.0.1:${tlsPort}` : url;
  const proc = spawn(SLAPD, ['-d', 'none', '-h', listen, '-f', join(dir, 'slapd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let exited: number | null | undefined;
  proc.stderr.on('data', (c: Buffer) => {
    log += String(c);
  });
  proc.on('exit', (code) => {
    exited = code;
  });
  for (let i = 0; i < 200 && !(await accepting(port)); i++) {
    if (exited !== undefined) throw new Error(`slapd exited ${exited}: ${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const admin = async () => {
    const c = new Client({ url });
    await c.bind(adminDn, adminPassword);
    return c;
  };
  const seed = await admin();
  try {
    await seed.add(baseDn, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
    for (const ou of ['people', 'groups', 'disabled', 'policies']) await seed.add(`ou=${ou},${baseDn}`, { objectClass: 'organizationalUnit', ou });
    await seed.add(`cn=default,ou=policies,${baseDn}`, { objectClass: ['organizationalRole', 'pwdPolicy'], cn: 'default', pwdAttribute: 'userPassword', pwdLockout: 'TRUE' });
  } finally {
    await seed.unbind();
  }
  return {
    url, port, baseDn, adminDn, adminPassword, admin, ldapsUrl, caPem: opts.tls ? readFileSync(join(dir, 'ca.pem'), 'utf8') : undefined,
    close() {
      proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An `ldap` credential for the server, bound as its admin. */
export function ldapCredential(s: Slapd, id = 'ldap', extra: Record<string, string> = {}, allowedHosts?: string[]) {
  return {
    id, type: 'ldap',
    data: { url: s.url, bind_dn: s.adminDn, password: s.adminPassword, base_dn: s.baseDn, ...extra },
    ...(allowedHosts ? { allowed_hosts: allowedHosts } : {}),
  };
}

/** The entry at `dn` (all user attributes, or those named), or undefined. */
export async function readEntry(s: Slapd, dn: string, attributes?: string[]): Promise<Record<string, unknown> | undefined> {
  const c = await s.admin();
  try {
    const r = await c.search(dn, { scope: 'base', ...(attributes ? { attributes } : {}) });
    return r.searchEntries[0];
  } catch {
    return undefined;
  } finally {
    await c.unbind();
  }
}
