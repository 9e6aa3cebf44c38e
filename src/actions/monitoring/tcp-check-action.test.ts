import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from '../../../test/support/loopback-egress.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { tcpCheckAction } from './tcp-check-action.js';

type Params = Parameters<typeof tcpCheckAction.run>[0]['params'];

let server: Server;
let port = 0;
let accepted = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    accepted++;
    socket.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, [], services);
  return { lines, result: tcpCheckAction.run(ctx) };
}

describe('tcp_check', () => {
  it('connects to a listening port and reports the latency', async () => {
    const before = accepted;
    const out = await run({ host: '127.0.0.1', port }).result;
    expect(out).toMatchObject({ ok: true, error: null });
    expect(out.latency_ms).toBeGreaterThanOrEqual(0);
    expect(Value.Check(tcpCheckAction.output, out)).toBe(true);
    await expect.poll(() => accepted).toBe(before + 1);
  });

  it('resolves a name (localhost) through the guard', async () => {
    expect(await run({ host: 'localhost', port }).result).toMatchObject({ ok: true });
  });

  it('reports a closed port as ok: false with ECONNREFUSED, or fails the step with fail_on_error', async () => {
    const closed = await closedPort();
    expect(await run({ host: '127.0.0.1', port: closed }).result).toEqual({ ok: false, latency_ms: null, error: 'ECONNREFUSED' });
    await expect(run({ host: '127.0.0.1', port: closed, fail_on_error: true }).result).rejects.toMatchObject({ code: 'check_failed', retryable: true });
  });
});

describe('tcp_check attackers', () => {
  it('is refused by the egress guard for loopback, private and metadata addresses, without connecting', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    const before = accepted;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '169.254.169.254', 'localhost']) {
      await expect(run({ host, port }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    }
    expect(accepted).toBe(before);
  });

  it.each([
    [{ host: '127.0.0.1', port: 0 }, '/port'],
    [{ host: '127.0.0.1', port: 70000 }, '/port'],
    [{ host: '', port: 80 }, '/host'],
    [{ host: '-oProxyCommand=x', port: 80 }, '/host'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(tcpCheckAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('refuses a host that is not a name or address at run time, naming the field', async () => {
    await expect(run({ host: 'a..b', port: 80 }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/host' } });
  });

  it('plans without connecting', () => {
    expect(tcpCheckAction.plan?.(testContext({ host: 'db.example.com', port: 5432 }).ctx)).toBe('connect to db.example.com:5432 over TCP');
  });
});
