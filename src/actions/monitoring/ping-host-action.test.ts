import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { testServices } from '../../../test/support/loopback-egress.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { pingHostAction } from './ping-host-action.js';
import { parsePingOutput } from './ping-output.js';

type Params = Parameters<typeof pingHostAction.run>[0]['params'];

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, [], services);
  return { lines, result: pingHostAction.run(ctx) };
}

// Needs iputils-ping (apt-get install iputils-ping) and the right to open ICMP sockets (root or ping_group_range).
describe('ping_host (the system ping against loopback)', () => {
  it('pings 127.0.0.1 and reports replies, loss and round-trip times', async () => {
    const { result, lines } = run({ host: '127.0.0.1', count: 2, timeout_seconds: 1 });
    const out = await result;
    expect(out).toMatchObject({ reachable: true, address: '127.0.0.1', packets_sent: 2, packets_received: 2, loss_pct: 0 });
    expect(out.rtt_min_ms).toBeGreaterThan(0);
    expect(out.rtt_max_ms).toBeGreaterThanOrEqual(out.rtt_avg_ms!);
    expect(Value.Check(pingHostAction.output, out)).toBe(true);
    expect(lines[0]!.message).toBe('ping 127.0.0.1 (127.0.0.1): 2/2 replies');
  });

  it('pings the address a name resolved to (localhost), and IPv6 loopback', async () => {
    expect(await run({ host: 'localhost', count: 1 }).result).toMatchObject({ reachable: true, address: '127.0.0.1' });
    expect(await run({ host: '::1', count: 1 }).result).toMatchObject({ reachable: true, address: '::1', packets_received: 1 });
  });
});

describe('ping output parsing (iputils 2022 summaries)', () => {
  it('reads a run where no reply came back', () => {
    const stdout = 'PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.\n\n--- 192.0.2.1 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 2051ms\n\n';
    expect(parsePingOutput(stdout)).toEqual({ packets_sent: 3, packets_received: 0, loss_pct: 100, rtt_min_ms: null, rtt_avg_ms: null, rtt_max_ms: null });
  });

  it('reads partial loss with errors', () => {
    const stdout = '--- h ping statistics ---\n4 packets transmitted, 3 received, +1 errors, 25% packet loss, time 3004ms\nrtt min/avg/max/mdev = 0.050/0.071/0.093/0.017 ms\n';
    expect(parsePingOutput(stdout)).toEqual({ packets_sent: 4, packets_received: 3, loss_pct: 25, rtt_min_ms: 0.05, rtt_avg_ms: 0.071, rtt_max_ms: 0.093 });
  });

  it('has no summary when ping failed before sending', () => {
    expect(parsePingOutput('')).toBeUndefined();
  });
});

describe('ping_host attackers', () => {
  it('is refused by the egress guard for an internal address, before ping runs', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ host: '127.0.0.1', count: 1 }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ host: '169.254.169.254', count: 1 }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it.each([
    [{ host: '-f' }, '/host'],
    [{ host: '127.0.0.1; reboot' }, '/host'],
    [{ host: '127.0.0.1', count: 0 }, '/count'],
    [{ host: '127.0.0.1', count: 1000 }, '/count'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(pingHostAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it.each(['-f', '--help', '$(reboot)', 'a b'])('refuses host %j at run time, naming the field, without running ping', async (host) => {
    await expect(run({ host, count: 1 }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/host' } });
  });

  it('plans without pinging', () => {
    expect(pingHostAction.plan?.(testContext({ host: 'db-1' }).ctx)).toBe('ping db-1 3 time(s)');
  });
});
