import { isIP } from 'node:net';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { runProcess } from '../process/run-process.js';
import { HOST_PATTERN, hostParam } from './host-param.js';
import { parsePingOutput } from './ping-output.js';

const ID = 'ping_host';
const PING = 'ping';
const DEFAULT_COUNT = 3;
const DEFAULT_TIMEOUT_SECONDS = 2;

const PingParams = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255, pattern: HOST_PATTERN, description: 'Host name or IP address' }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: DEFAULT_COUNT, description: 'Echo requests to send, one a second. Default 3' })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, default: DEFAULT_TIMEOUT_SECONDS, description: 'How long to wait for each reply. Default 2' })),
    fail_on_error: Type.Optional(Type.Boolean({ default: false, description: 'Fail the step when no reply came, instead of returning reachable: false' })),
  },
  { additionalProperties: false },
);

const Ms = Type.Union([Type.Number(), Type.Null()]);
const PingOutput = Type.Object({
  reachable: Type.Boolean({ description: 'At least one reply came back' }),
  address: Type.String({ description: 'The address pinged' }),
  packets_sent: Type.Integer(),
  packets_received: Type.Integer(),
  loss_pct: Type.Number(),
  rtt_min_ms: Ms,
  rtt_avg_ms: Ms,
  rtt_max_ms: Ms,
});

export const pingHostAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Ping Host',
  description:
    'Sends ICMP echo requests to a host with the system ping (iputils) and reports packets sent and received, loss and round-trip times. No reply is a result (reachable: false), unless fail_on_error is set.',
  params: PingParams,
  output: PingOutput,
  async run(ctx) {
    const p = ctx.params;
    const host = hostParam(ID, '/host', p.host);
    const count = p.count ?? DEFAULT_COUNT;
    const wait = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    // ping gets the address the egress guard passed, never a name it would resolve again.
    const address = await ctx.services.egress.resolve(host, 'icmp');
    // argv, no shell; -n: no reverse lookups; -w: a deadline for the whole run.
    const family = isIP(address) === 6 ? ['-6'] : isIP(address) === 4 ? ['-4'] : [];
    const argv = [PING, ...family, '-n', '-c', String(count), '-W', String(wait), '-w', String(count + wait), address];
    const res = await runProcess({ argv, env: { LC_ALL: 'C' }, timeoutMs: (count + wait + 5) * 1000, signal: ctx.signal });
    if (res.aborted) throw new NonRetryableError('cancelled', 'ping cancelled');
    const summary = parsePingOutput(res.stdout);
    if (summary === undefined) {
      const why = res.stderr.trim().split('\n')[0] || `exit code ${res.exitCode}`;
      throw new RetryableError('ping_failed', `ping ${host} failed: ${why}`, { details: { exit_code: res.exitCode } });
    }
    const reachable = summary.packets_received > 0;
    ctx.log.log(reachable ? 'info' : 'warn', `ping ${host} (${address}): ${summary.packets_received}/${summary.packets_sent} replies`, { ...summary });
    if (!reachable && p.fail_on_error) throw new RetryableError('check_failed', `${host} did not answer ${count} echo request(s)`, { details: { ...summary } });
    return { reachable, address, ...summary };
  },
  plan(ctx) {
    return `ping ${ctx.params.host} ${ctx.params.count ?? DEFAULT_COUNT} time(s)`;
  },
});
