import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '../../../test/support/loopback-egress.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { tlsCertificateCheckAction } from './tls-certificate-check-action.js';

type Params = Parameters<typeof tlsCertificateCheckAction.run>[0]['params'];

// A throwaway CA and leaf certificates made with the openssl CLI, served by real TLS servers on loopback.
let dir = '';
let ca = '';
const servers: Server[] = [];
const ports: Record<'good' | 'soon' | 'self', number> = { good: 0, soon: 0, self: 0 };

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function leaf(name: string, days: number, signer: 'ca' | 'self'): { key: string; cert: string } {
  writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  const subj = `/CN=localhost/O=${name}`;
  if (signer === 'self') {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', String(days), '-subj', subj, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  } else {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', String(days), '-extfile', `${name}.ext`);
  }
  const cert = readFileSync(join(dir, `${name}.crt`), 'utf8');
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: signer === 'ca' ? cert + ca : cert };
}

async function serve(pair: { key: string; cert: string }): Promise<number> {
  const server = createServer(pair, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'itw-tls-'));
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '365', '-subj', '/CN=ITW Test CA/O=iTechSmart');
  ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  ports.good = await serve(leaf('good', 90, 'ca'));
  ports.soon = await serve(leaf('soon', 5, 'ca'));
  ports.self = await serve(leaf('self', 90, 'self'));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  rmSync(dir, { recursive: true, force: true });
});

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, [], services);
  return { lines, result: tlsCertificateCheckAction.run(ctx) };
}

describe('tls_certificate_check (real TLS servers, certificates made by openssl)', () => {
  it('reports a trusted, matching certificate with its expiry, names and chain', async () => {
    const out = await run({ host: '127.0.0.1', port: ports.good, servername: 'localhost', ca }).result;
    expect(out).toMatchObject({
      ok: true,
      authorized: true,
      hostname_ok: true,
      chain_length: 2,
      san: ['localhost', '127.0.0.1'],
      subject: 'CN=localhost, O=good',
      issuer: 'CN=ITW Test CA, O=iTechSmart',
      error: null,
    });
    expect(out.days_left).toBeGreaterThanOrEqual(88);
    expect(out.days_left).toBeLessThanOrEqual(90);
    expect(Date.parse(out.valid_to!)).toBeGreaterThan(Date.now());
    expect(Value.Check(tlsCertificateCheckAction.output, out)).toBe(true);
  });

  it('is not ok when fewer than warn_days remain', async () => {
    const out = await run({ host: 'localhost', port: ports.soon, ca, warn_days: 14 }).result;
    expect(out).toMatchObject({ ok: false, authorized: true, hostname_ok: true });
    expect(out.days_left).toBeLessThanOrEqual(5);
    expect(out.error).toMatch(/^certificate expires in [45] days \(warn_days 14\)$/);
    expect(await run({ host: 'localhost', port: ports.soon, ca, warn_days: 3 }).result).toMatchObject({ ok: true });
  });

  it('is not ok for a chain it does not trust, or a name the certificate does not cover', async () => {
    const untrusted = await run({ host: '127.0.0.1', port: ports.self }).result;
    expect(untrusted).toMatchObject({ ok: false, authorized: false, hostname_ok: true, chain_length: 1 });
    expect(untrusted.error).toMatch(/^untrusted certificate \((DEPTH_ZERO_)?SELF_SIGNED/);
    const wrongName = await run({ host: '127.0.0.1', port: ports.good, servername: 'api.example.com', ca }).result;
    expect(wrongName).toMatchObject({ ok: false, authorized: true, hostname_ok: false, error: 'certificate is not valid for api.example.com' });
  });

  it('reports a port without TLS as a failed check, and fails the step with fail_on_error', async () => {
    const open = new Set<Socket>();
    const plain = createTcpServer((s) => {
      open.add(s);
      s.end('SSH-2.0-OpenSSH\r\n');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const port = (plain.address() as AddressInfo).port;
    try {
      const out = await run({ host: '127.0.0.1', port, timeout_seconds: 3 }).result;
      expect(out).toMatchObject({ ok: false, days_left: null, authorized: false, chain_length: 0 });
      expect(out.error).toBe('ERR_SSL_WRONG_VERSION_NUMBER: wrong version number');
      await expect(run({ host: '127.0.0.1', port, timeout_seconds: 3, fail_on_error: true }).result).rejects.toMatchObject({ code: 'check_failed' });
    } finally {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});

describe('tls_certificate_check attackers', () => {
  it('is refused by the egress guard for an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ host: '127.0.0.1', port: ports.good }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it.each([
    [{ host: 'h', warn_days: -1 }, '/warn_days'],
    [{ host: 'h', port: 0 }, '/port'],
    [{ host: '--help' }, '/host'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(tlsCertificateCheckAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('refuses a ca that holds no valid certificate, naming the field, instead of calling the server untrusted', async () => {
    await expect(run({ host: '127.0.0.1', port: ports.good, ca: 'not a pem' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/ca' } });
    await expect(run({ host: '127.0.0.1', port: ports.good, ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/ca' } });
  });

  it('plans without connecting', () => {
    expect(tlsCertificateCheckAction.plan?.(testContext({ host: 'example.com' }).ctx)).toBe('check the TLS certificate of example.com:443 (warn under 14 days)');
  });
});
