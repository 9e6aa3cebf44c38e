import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setEgressPolicy } from './egress-guard.js';
import { httpRequest } from './http-client.js';

describe('egress guard (SSRF)', () => {
  let url = '';
  const server = createServer((req, res) => {
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/inside` });
      return res.end();
    }
    res.end('ok');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  afterEach(() => setEgressPolicy({ blockPrivate: false, allow: [] }));

  it('is off unless configured: loopback is reachable', async () => {
    expect((await httpRequest({ method: 'GET', url: `${url}/`, timeoutMs: 2000 })).body).toBe('ok');
  });

  it('blocks loopback by address and by name, with a non-retryable egress_denied naming the address', async () => {
    setEgressPolicy({ blockPrivate: true, allow: [] });
    await expect(httpRequest({ method: 'GET', url: `${url}/`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    const port = new URL(url).port;
    await expect(httpRequest({ method: 'GET', url: `http://localhost:${port}/`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(httpRequest({ method: 'GET', url: 'http://169.254.169.254/latest/meta-data/', timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(httpRequest({ method: 'GET', url: 'http://[::1]:9/', timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it('lets allow-listed addresses, ranges and host names through', async () => {
    setEgressPolicy({ blockPrivate: true, allow: ['127.0.0.0/8'] });
    expect((await httpRequest({ method: 'GET', url: `${url}/`, timeoutMs: 2000 })).status).toBe(200);
    setEgressPolicy({ blockPrivate: true, allow: ['127.0.0.1'] });
    expect((await httpRequest({ method: 'GET', url: `${url}/`, timeoutMs: 2000 })).status).toBe(200);
  });

  it('checks every redirect hop: an allowed host cannot bounce the request to a blocked one', async () => {
    setEgressPolicy({ blockPrivate: true, allow: ['127.0.0.1'] });
    await expect(httpRequest({ method: 'GET', url: `${url}/hop`, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'egress_denied' });
  });
});
