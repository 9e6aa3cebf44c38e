import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import { servicePost } from './service-http.js';
import { LOOPBACK } from '../../../test/support/loopback-egress.js';

describe('servicePost: a vendor secret stays with the host it was addressed to', () => {
  let vendor: Awaited<ReturnType<typeof httpFixture>>;
  let elsewhere: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    elsewhere = await httpFixture((_req, res) => json(res, 200, { got: true }));
    vendor = await httpFixture((_req, res) => {
      // A 307 would replay the body (PagerDuty's routing_key, for one) to the other host.
      res.writeHead(307, { location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/v2/enqueue` }).end();
    });
  });
  afterAll(async () => {
    await vendor.close();
    await elsewhere.close();
  });

  it('refuses to follow a redirect to another host with credential_host_denied; nothing arrives there', async () => {
    const post = servicePost({ url: `${vendor.url}/v2/enqueue`, headers: {}, body: { routing_key: 'rk-secret' }, signal: new AbortController().signal, egress: LOOPBACK });
    await expect(post).rejects.toMatchObject({ code: 'credential_host_denied', retryable: false });
    expect(vendor.requests).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);
  });
});
