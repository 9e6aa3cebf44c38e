import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_EGRESS } from '../../../test/support/loopback-egress.js';
import { EgressGuard, embeddedIpv4, isSpecialPurpose } from './egress-guard.js';
import { httpRequest } from './http-client.js';

describe('egress guard (SSRF)', () => {
  let url = '';
  const server = createServer((req, res) => {
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/inside` });
      return res.end();
    }
    // No keep-alive: the guard judges connections, and each test below makes a new one.
    res.writeHead(200, { connection: 'close' }).end('ok');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  let g = new EgressGuard({ blockPrivate: true, allow: LOOPBACK_EGRESS });
  afterEach(async () => {
    await g.close();
    g = new EgressGuard({ blockPrivate: true, allow: LOOPBACK_EGRESS });
  });

  it('can be switched off (ITW_EGRESS_GUARD=false): loopback is reachable', async () => {
    g = new EgressGuard({ blockPrivate: false, allow: [] });
    expect((await httpRequest({ egress: g, method: 'GET', url: `${url}/`, timeoutMs: 2000 })).body).toBe('ok');
  });

  it('judges IPv4-mapped, NAT64 and 6to4 addresses by the IPv4 address they embed', () => {
    expect(embeddedIpv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIpv4('2002:c0a8:101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeUndefined();
    for (const ip of ['::ffff:10.1.2.3', '64:ff9b::169.254.169.254', '2002:7f00:1::', '::7f00:1', '64:ff9b:1::1', '100::5', '2001:db8::1', '2001:0:4136:e378::1', 'fd00::1', 'fe80::1', '::', '192.0.0.8', '192.0.2.1', '198.19.255.1', '198.51.100.7', '203.0.113.9', '255.255.255.255']) {
      expect({ ip, denied: isSpecialPurpose(ip) }).toEqual({ ip, denied: true });
    }
    for (const ip of ['8.8.8.8', '::ffff:8.8.8.8', '64:ff9b::808:808', '2606:4700::1111', '2001:4860::8888']) {
      expect({ ip, denied: isSpecialPurpose(ip) }).toEqual({ ip, denied: false });
    }
  });

  it('allows host name wildcards from the allow-list, and resolves and checks names for non-HTTP connections', async () => {
    g = new EgressGuard({ blockPrivate: true, allow: [] });
    await expect(g.resolve('localhost', 'postgres')).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(g.resolve('[::1]', 'ssh')).rejects.toMatchObject({ code: 'egress_denied' });
    g = new EgressGuard({ blockPrivate: true, allow: ['*.localhost', 'localhost'] });
    expect(await g.resolve('localhost', 'postgres')).toMatch(/^(127\.0\.0\.1|::1)$/);
    g = new EgressGuard({ blockPrivate: false, allow: [] });
    expect(await g.resolve('localhost', 'smtp')).toBe('localhost');
  });

  it('blocks loopback by address and by name, with a non-retryable egress_denied naming the address', async () => {
    g = new EgressGuard({ blockPrivate: true, allow: [] });
    await expect(httpRequest({ egress: g, method: 'GET', url: `${url}/`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    const port = new URL(url).port;
    await expect(httpRequest({ egress: g, method: 'GET', url: `http://localhost:${port}/`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(httpRequest({ egress: g, method: 'GET', url: 'http://169.254.169.254/latest/meta-data/', timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(httpRequest({ egress: g, method: 'GET', url: 'http://[::1]:9/', timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it('lets allow-listed addresses, ranges and host names through', async () => {
    g = new EgressGuard({ blockPrivate: true, allow: ['127.0.0.0/8'] });
    expect((await httpRequest({ egress: g, method: 'GET', url: `${url}/`, timeoutMs: 2000 })).status).toBe(200);
    g = new EgressGuard({ blockPrivate: true, allow: ['127.0.0.1'] });
    expect((await httpRequest({ egress: g, method: 'GET', url: `${url}/`, timeoutMs: 2000 })).status).toBe(200);
  });

  it('checks every redirect hop: an allowed host cannot bounce the request to a blocked one', async () => {
    g = new EgressGuard({ blockPrivate: true, allow: ['127.0.0.1'] });
    await expect(httpRequest({ egress: g, method: 'GET', url: `${url}/hop`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
  });
});
