import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '../../../test/support/loopback-egress.js';
import { makeTestPki } from '../../../test/support/tls-certs.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard, type EgressRefusal } from '../http/egress-guard.js';
import { dockerLogsAction } from './docker-logs-action.js';
import { dockerRestartAction } from './docker-restart-action.js';
import { DockerSocketAllowList } from './docker-socket-allow-list.js';
import { demultiplex, logLines } from './docker-stream.js';

/** One frame of the multiplexed stream: [stream, 0, 0, 0, size (uint32 BE)] + payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

interface Seen { method: string; path: string; query: Record<string, string> }

/** The Engine API as dockerd answers it, versioned paths only. */
function engine(seen: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    seen.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const fail = (status: number, message: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
    const m = /^\/v1\.43\/containers\/([^/]+)\/(restart|logs)$/.exec(url.pathname);
    if (!m) return fail(404, 'page not found');
    const [, name, op] = m as unknown as [string, string, string];
    if (name === 'ghost') return fail(404, `No such container: ${name}`);
    if (name === 'broken') return fail(500, `Cannot restart container ${name}: OCI runtime error`);
    if (op === 'restart') return req.method === 'POST' ? res.writeHead(204).end() : fail(405, 'method not allowed');
    if (name === 'tty') return res.writeHead(200, { 'content-type': 'application/vnd.docker.raw-stream' }).end('hello from a tty\r\nsecond line\r\n');
    if (name === 'chatty') {
      res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
      for (let i = 0; i < 2000; i++) res.write(frame(1, `2026-12-05T10:00:00.000000001Z line ${i} ${'x'.repeat(50)}\n`));
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
    res.end(Buffer.concat([
      frame(1, '2026-12-05T10:00:01.123456789Z GET /health 200\n2026-12-05T10:00:02.000000000Z GET /orders 2'),
      frame(2, '2026-12-05T10:00:02.500000000Z warn: slow query\n'),
      frame(1, '00\n'),
    ]));
  };
}

let dir: string;
let socketPath: string;
let unix: Server;
const seen: Seen[] = [];
const refusals: EgressRefusal[] = [];
let services: ReturnType<typeof testServices>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'itw-docker-'));
  socketPath = join(dir, 'docker.sock');
  unix = createServer(engine(seen));
  await new Promise<void>((r) => unix.listen(socketPath, r));
  services = testServices({ dockerSockets: new DockerSocketAllowList([socketPath]), egress: new EgressGuard({ blockPrivate: true, allow: ['127.0.0.1'], onRefusal: (r) => refusals.push(r) }) });
});
afterAll(async () => {
  await new Promise((r) => unix.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('docker_restart over an allow-listed unix socket', () => {
  it('POSTs /v1.43/containers/{id}/restart?t=N', async () => {
    const { ctx, lines } = testContext({ container: 'web', socket_path: socketPath, timeout_seconds: 5 }, [], services);
    expect(await dockerRestartAction.run(ctx)).toEqual({ container: 'web', restarted: true });
    expect(seen.at(-1)).toEqual({ method: 'POST', path: '/v1.43/containers/web/restart', query: { t: '5' } });
    expect(lines.at(-1)?.message).toBe('restarted container web');
  });

  it.each([
    ['ghost', 'docker_not_found', 'Docker Engine answered HTTP 404 to POST /v1.43/containers/ghost/restart: No such container: ghost', false],
    ['broken', 'docker_unavailable', 'Docker Engine answered HTTP 500 to POST /v1.43/containers/broken/restart: Cannot restart container broken: OCI runtime error', true],
  ])('maps the daemon\'s answer for %s to %s', async (container, code, message, retryable) => {
    await expect(dockerRestartAction.run(testContext({ container, socket_path: socketPath }, [], services).ctx)).rejects.toMatchObject({ code, message, retryable });
  });

  it('refuses a socket the operator did not list (the default /var/run/docker.sock too), audited, nothing dialled', async () => {
    const before = seen.length;
    const other = join(dir, '..', 'x', '..', 'other.sock');
    await expect(dockerRestartAction.run(testContext({ container: 'web', socket_path: other }, [], services).ctx)).rejects.toMatchObject({
      code: 'docker_socket_denied', retryable: false, message: expect.stringContaining(`allowed: ${socketPath} (ITW_DOCKER_SOCKETS)`),
    });
    await expect(dockerRestartAction.run(testContext({ container: 'web' }).ctx)).rejects.toMatchObject({
      code: 'docker_socket_denied', message: 'Docker socket /var/run/docker.sock refused: no Docker socket is allowed (ITW_DOCKER_SOCKETS is empty)',
    });
    expect(seen).toHaveLength(before);
    expect(refusals.at(-1)).toMatchObject({ code: 'egress_denied', protocol: 'docker', host: expect.stringMatching(/^unix:.*other\.sock$/) });
  });

  it('accepts the listed socket written another way', async () => {
    const { ctx } = testContext({ container: 'web', socket_path: join(dir, '.', 'docker.sock') }, [], services);
    await expect(dockerRestartAction.run(ctx)).resolves.toMatchObject({ restarted: true });
  });
});

describe('docker_logs', () => {
  it('GETs /logs with stdout, stderr, tail and timestamps, and demultiplexes the 8-byte-header frames', async () => {
    const out = await dockerLogsAction.run(testContext({ container: 'api', socket_path: socketPath, tail: 3 }, [], services).ctx);
    expect(seen.at(-1)).toEqual({ method: 'GET', path: '/v1.43/containers/api/logs', query: { stdout: '1', stderr: '1', tail: '3', timestamps: '1' } });
    expect(out).toEqual({
      container: 'api',
      truncated: false,
      lines: [
        { stream: 'stdout', text: 'GET /health 200', timestamp: '2026-12-05T10:00:01.123456789Z' },
        { stream: 'stderr', text: 'warn: slow query', timestamp: '2026-12-05T10:00:02.500000000Z' },
        { stream: 'stdout', text: 'GET /orders 200', timestamp: '2026-12-05T10:00:02.000000000Z' },
      ],
    });
  });

  it('reads a TTY container\'s raw stream as stdout', async () => {
    const out = await dockerLogsAction.run(testContext({ container: 'tty', socket_path: socketPath, timestamps: false, stderr: false }, [], services).ctx);
    expect(seen.at(-1)?.query).toMatchObject({ stdout: '1', stderr: '0', timestamps: '0' });
    expect(out.lines).toEqual([{ stream: 'stdout', text: 'hello from a tty' }, { stream: 'stdout', text: 'second line' }]);
  });

  it('stops at max_bytes and says the log was cut', async () => {
    const out = await dockerLogsAction.run(testContext({ container: 'chatty', socket_path: socketPath, tail: 5000, max_bytes: 4096 }, [], services).ctx);
    expect(out.truncated).toBe(true);
    expect(out.lines.length).toBeGreaterThan(30);
    expect(out.lines.length).toBeLessThan(60);
    expect(out.lines[0]).toEqual({ stream: 'stdout', text: `line 0 ${'x'.repeat(50)}`, timestamp: '2026-12-05T10:00:00.000000001Z' });
  });

  it('refuses neither stdout nor stderr, and socket_path with credential_id', async () => {
    await expect(dockerLogsAction.run(testContext({ container: 'api', socket_path: socketPath, stdout: false, stderr: false }, [], services).ctx)).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/stdout' } });
    await expect(dockerLogsAction.run(testContext({ container: 'api', socket_path: socketPath, credential_id: 'tcp' }, [], services).ctx)).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/socket_path' } });
  });
});

describe('docker over TCP with TLS (a docker credential)', () => {
  const pki = makeTestPki('docker-client');
  let tls: Server;
  let host: string;
  const tlsSeen: Seen[] = [];
  let creds: ResolvedCredential[];

  beforeAll(async () => {
    // dockerd --tlsverify: the client must present a certificate the daemon's CA signed.
    tls = createHttpsServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, engine(tlsSeen));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    host = `tcp://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    creds = [
      { id: 'tcp', type: 'docker', data: { host, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } },
      { id: 'no-cert', type: 'docker', data: { host, ca: pki.ca } },
      { id: 'elsewhere', type: 'docker', data: { host, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }, allowed_hosts: ['docker.example.com'] },
    ];
  });
  afterAll(() => new Promise((r) => { tls.closeAllConnections(); tls.close(r); }));

  it('restarts with the client certificate, and reads logs', async () => {
    await expect(dockerRestartAction.run(testContext({ container: 'web', credential_id: 'tcp' }, creds, services).ctx)).resolves.toEqual({ container: 'web', restarted: true });
    expect(tlsSeen.at(-1)).toEqual({ method: 'POST', path: '/v1.43/containers/web/restart', query: { t: '10' } });
    const out = await dockerLogsAction.run(testContext({ container: 'api', credential_id: 'tcp' }, creds, services).ctx);
    expect(out.lines).toHaveLength(3);
  });

  it('is refused by a daemon that wants a client certificate, the key never in the error', async () => {
    const err = await dockerRestartAction.run(testContext({ container: 'web', credential_id: 'no-cert' }, creds, services).ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'network_error' });
  });

  it('is refused by the egress guard and by the credential binding before connecting', async () => {
    const before = tlsSeen.length;
    const strict = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(dockerRestartAction.run(testContext({ container: 'web', credential_id: 'tcp' }, creds, strict).ctx)).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(dockerRestartAction.run(testContext({ container: 'web', credential_id: 'elsewhere' }, creds, services).ctx)).rejects.toMatchObject({ code: 'credential_host_denied' });
    expect(tlsSeen).toHaveLength(before);
  });
});

describe('the multiplexed stream format', () => {
  it('joins a line split over frames and keeps a last line without newline', () => {
    const chunks = demultiplex(Buffer.concat([frame(1, 'par'), frame(1, 'tial\nlast')]));
    expect(logLines(chunks, false)).toEqual([{ stream: 'stdout', text: 'partial' }, { stream: 'stdout', text: 'last' }]);
  });

  it('refuses a body that is not frames (a hostile or misrouted answer)', () => {
    expect(() => demultiplex(Buffer.from('<html>proxy error page</html>'))).toThrow(/not a multiplexed stream/);
  });
});

describe('docker params', () => {
  it.each([
    [{ container: '../../images/create' }, '/container'],
    [{ container: 'web?force=1' }, '/container'],
    [{ container: 'web', socket_path: 'docker.sock' }, '/socket_path'],
    [{ container: 'web', timeout_seconds: -1 }, '/timeout_seconds'],
  ])('docker_restart rejects %j at %s', (params, path) => {
    expect([...Value.Errors(dockerRestartAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('plans without connecting', () => {
    expect(dockerRestartAction.plan?.(testContext({ container: 'web' }).ctx)).toBe('restart container web on the Docker daemon at /var/run/docker.sock (stop timeout 10s)');
    expect(dockerLogsAction.plan?.(testContext({ container: 'web', credential_id: 'tcp', tail: 20 }).ctx)).toBe('read the last 20 log lines of container web on the Docker daemon of credential tcp');
  });
});
