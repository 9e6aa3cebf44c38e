import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material of a throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate. */
export interface TestPki {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** Another CA, for "the server's certificate is not the one pinned" tests. */
  readonly otherCa: string;
}

/** Generates certificates with the openssl CLI (P-256 keys, a day's validity), in a temp dir removed after. */
export function makeTestPki(clientCn = 'itw-test-client'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'itw-pki-'));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    for (const ca of ['ca', 'other']) {
      ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${ca}.key`), '-out', f(`${ca}.crt`), '-days', '1', '-subj', `/CN=itw test ${ca} CA`);
    }
    writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const [leaf, subj] of [['server', '/CN=127.0.0.1'], ['client', `/CN=${clientCn}/O=system:masters`]] as const) {
      ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${leaf}.key`), '-out', f(`${leaf}.csr`), '-subj', subj);
      ssl('x509', '-req', '-in', f(`${leaf}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${leaf}.crt`), '-days', '1', '-extfile', f(`${leaf}.ext`));
    }
    const read = (name: string) => readFileSync(f(name), 'utf8');
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key'), otherCa: read('other.crt') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
