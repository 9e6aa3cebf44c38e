import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsFixture, type DnsFixture, QTYPE } from '../../../test/support/dns-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { dnsLookupAction } from './dns-lookup-action.js';

type Params = Parameters<typeof dnsLookupAction.run>[0]['params'];

// A real UDP DNS server on loopback (test/support/dns-fixture.ts) that checks the query wire format.
let dns: DnsFixture;

beforeAll(async () => {
  dns = await dnsFixture(
    {
      'api.example.test': [{ type: 'A', value: '192.0.2.10', ttl: 60 }, { type: 'A', value: '192.0.2.11', ttl: 60 }, { type: 'AAAA', value: '2001:db8::10' }],
      'www.example.test': [{ type: 'CNAME', value: 'api.example.test' }],
      'example.test': [
        { type: 'MX', exchange: 'mx1.example.test', priority: 10 },
        { type: 'MX', exchange: 'mx2.example.test', priority: 20 },
        { type: 'NS', value: 'ns1.example.test' },
        { type: 'TXT', chunks: ['v=spf1 ', 'include:_spf.example.test ~all'] },
      ],
      '_sip._tcp.example.test': [{ type: 'SRV', target: 'sip.example.test', priority: 10, weight: 60, port: 5060 }],
    },
    ['refused.example.test'],
  );
});

afterAll(() => dns.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, [], services);
  return { lines, result: dnsLookupAction.run(ctx) };
}

describe('dns_lookup (UDP DNS server on loopback)', () => {
  it('asks one recursive IN A question and returns the addresses with their TTL', async () => {
    const out = await run({ name: 'api.example.test', server: dns.server }).result;
    expect(out).toMatchObject({ name: 'api.example.test', type: 'A', found: true, records: [{ value: '192.0.2.10', ttl: 60 }, { value: '192.0.2.11', ttl: 60 }] });
    expect(Value.Check(dnsLookupAction.output, out)).toBe(true);
    expect(dns.queries.at(-1)).toMatchObject({ name: 'api.example.test', qtype: QTYPE.A, qclass: 1, opcode: 0, recursionDesired: true });
  });

  it.each([
    ['AAAA', 'api.example.test', QTYPE.AAAA, [{ value: '2001:db8::10', ttl: 300 }]],
    ['CNAME', 'www.example.test', QTYPE.CNAME, [{ value: 'api.example.test' }]],
    ['MX', 'example.test', QTYPE.MX, [{ value: 'mx1.example.test', priority: 10 }, { value: 'mx2.example.test', priority: 20 }]],
    ['NS', 'example.test', QTYPE.NS, [{ value: 'ns1.example.test' }]],
    ['TXT', 'example.test', QTYPE.TXT, [{ value: 'v=spf1 include:_spf.example.test ~all' }]],
    ['SRV', '_sip._tcp.example.test', QTYPE.SRV, [{ value: 'sip.example.test', priority: 10, weight: 60, port: 5060 }]],
  ] as const)('looks up %s records', async (type, name, qtype, records) => {
    expect(await run({ name, type, server: dns.server }).result).toMatchObject({ found: true, records });
    expect(dns.queries.at(-1)).toMatchObject({ name, qtype });
  });

  it('answers found: false for a name that does not exist or has no such records', async () => {
    expect(await run({ name: 'nope.example.test', server: dns.server }).result).toMatchObject({ found: false, records: [] });
    expect(await run({ name: 'www.example.test', type: 'MX', server: dns.server }).result).toMatchObject({ found: false, records: [] });
  });

  it('fails for a server that refuses (not retryable) and one that does not answer (retryable)', async () => {
    await expect(run({ name: 'refused.example.test', server: dns.server }).result).rejects.toMatchObject({ code: 'dns_refused', retryable: false });
    const silent = await dnsFixture({});
    const address = silent.server;
    await silent.close();
    await expect(run({ name: 'api.example.test', server: address, timeout_seconds: 0.2 }).result).rejects.toMatchObject({ code: 'dns_error', retryable: true });
  });
});

describe('dns_lookup attackers', () => {
  it('is refused by the egress guard for a DNS server on an internal address, before any query', async () => {
    const before = dns.queries.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ name: 'api.example.test', server: dns.server }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(dns.queries).toHaveLength(before);
  });

  it.each([
    [{ name: 'x', type: 'ANY' }, '/type'],
    [{ name: '-x y' }, '/name'],
    [{ name: '' }, '/name'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(dnsLookupAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it.each(['dns.example.com', '127.0.0.1:99999', '1.2.3.4:53:53'])('refuses server %s, naming the field', async (server) => {
    await expect(run({ name: 'example.test', server }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/server' } });
  });

  it('plans without querying', () => {
    expect(dnsLookupAction.plan?.(testContext<Params>({ name: 'example.com', type: 'MX', server: '1.1.1.1' }).ctx)).toBe('look up MX records of example.com at 1.1.1.1');
  });
});
