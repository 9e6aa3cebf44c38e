// A real OpenLDAP server (slapd, mdb backend, ppolicy overlay) on loopback with its config and
// database in a temp dir, for the LDAP action tests. Needs slapd (apt-get install slapd ldap-utils);
// without it the tests fail and say so rather than passing silently.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';

const SLAPD = '/usr/sbin/slapd';

export interface Slapd {
  readonly url: string;
  readonly port: number;
  readonly baseDn: string;
  readonly adminDn: string;
  readonly adminPassword: string;
  /** A client bound as the admin, for seeding and checking entries. */
  admin(): Promise<Client>;
  close(): void;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const p = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startSlapd(): Promise<Slapd> {
  if (!existsSync(SLAPD)) throw new Error(`the LDAP tests need ${SLAPD} (apt-get install slapd ldap-utils)`);
  const dir = mkdtempSync(join(tmpdir(), 'itw-slapd-'));
  mkdirSync(join(dir, 'db'));
  const port = await freePort();
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
  const url = `ldap://127.0.0.1:${port}`;
  const proc = spawn(SLAPD, ['-d', 'none', '-h', url, '-f', join(dir, 'slapd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
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
    url, port, baseDn, adminDn, adminPassword, admin,
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
