import { connect } from 'node:net';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { RetryableError } from '../../model/errors.js';
import { HOST_PATTERN, hostParam } from './host-param.js';
import { connectError, openSocket } from './open-socket.js';

const ID = 'tcp_check';
const DEFAULT_TIMEOUT_SECONDS = 5;

const TcpCheckParams = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255, pattern: HOST_PATTERN, description: 'Host name or IP address' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port' }),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 120, default: DEFAULT_TIMEOUT_SECONDS, description: 'Connect timeout' })),
    fail_on_error: Type.Optional(Type.Boolean({ default: false, description: 'Fail the step when the port does not accept, instead of returning ok: false' })),
  },
  { additionalProperties: false },
);

const TcpCheckOutput = Type.Object({
  ok: Type.Boolean({ description: 'The port accepted a connection' }),
  latency_ms: Type.Union([Type.Number(), Type.Null()], { description: 'Time to connect, null when it did not' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why it did not connect (ECONNREFUSED, timeout...)' }),
});

export const tcpCheckAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'TCP Check',
  description: 'Checks that a TCP port accepts connections, and how long the connect took. The connection is closed at once; nothing is sent.',
  params: TcpCheckParams,
  output: TcpCheckOutput,
  async run(ctx) {
    const p = ctx.params;
    const host = hostParam(ID, '/host', p.host);
    const timeoutMs = (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const started = performance.now();
    try {
      const address = await ctx.services.egress.resolve(host, 'tcp');
      const socket = await openSocket(() => connect({ host: address, port: p.port }), 'connect', timeoutMs, ctx.signal);
      socket.destroy();
    } catch (err) {
      const result = connectError(err);
      if (result === undefined) throw err;
      ctx.log.log('warn', `${host}:${p.port}: ${result}`);
      if (p.fail_on_error) throw new RetryableError('check_failed', `${host}:${p.port} did not accept a connection: ${result}`);
      return { ok: false, latency_ms: null, error: result };
    }
    const latency = Math.round(performance.now() - started);
    ctx.log.log('info', `${host}:${p.port} accepted in ${latency} ms`, { latency_ms: latency });
    return { ok: true, latency_ms: latency, error: null };
  },
  plan(ctx) {
    return `connect to ${ctx.params.host}:${ctx.params.port} over TCP`;
  },
});

