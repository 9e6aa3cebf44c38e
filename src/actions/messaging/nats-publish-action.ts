import { type Static, Type } from '@sinclair/typebox';
import type { MsgHdrs, NatsConnection, NatsError } from 'nats';
import type * as Nats from 'nats';
import { lazyModule } from '../lazy-module.js';

const nats = lazyModule<typeof Nats>('nats');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { resolveBroker, where, type BrokerTarget, type Schemes } from './broker-target.js';
import { encodePayload, PayloadParam } from './payload.js';

const SCHEMES: Schemes = { nats: { port: 4222, tls: false }, tls: { port: 4222, tls: true } };
const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const HEADER_NAME = '^[!-9;-~]+$';

const NatsPublishParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type nats: {url, username?, password?} or {url, token}' }),
    subject: Type.String({
      minLength: 1, maxLength: 1024, pattern: '^[^\\s*>]+$',
      description: 'Subject to publish to (no spaces, no wildcards * and >)',
    }),
    payload: PayloadParam,
    headers: Type.Optional(Type.Record(Type.String({ pattern: HEADER_NAME }), Type.String({ pattern: '^[^\\r\\n]*$' }), {
      additionalProperties: false,
      description: 'NATS message headers. Nats-Msg-Id defaults to the step\'s idempotency key, so a JetStream stream drops a retried duplicate',
    })),
    request: Type.Optional(Type.Boolean({ description: 'Wait for one reply (request/reply) and return it; fails when no one answers in timeout_ms' })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000, description: 'How long a request waits for its reply (default 5000)' })),
  },
  { additionalProperties: false },
);

const NatsPublishOutput = Type.Object({
  subject: Type.String(),
  bytes: Type.Integer({ description: 'Payload size' }),
  reply: Type.Optional(Type.Object({
    data: Type.Unknown({ description: 'The reply body: parsed when it is JSON, else text' }),
    headers: Type.Record(Type.String(), Type.String()),
    bytes: Type.Integer(),
  }, { description: 'With request: the answer' })),
});

type Params = Static<typeof NatsPublishParams>;

function headerMap(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of h) out[k] = v.join(', ');
  return out;
}

function decode(data: Uint8Array): unknown {
  const text = Buffer.from(data).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function permissionDenied(t: BrokerTarget, subject: string): NonRetryableError {
  return new NonRetryableError('nats_permission_denied', `NATS server at ${where(t)} does not let this user publish to ${subject}`);
}

function natsError(t: BrokerTarget, err: unknown, subject: string): ItwError {
  if (err instanceof ItwError) return err;
  const code = (err as NatsError | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case nats().ErrorCode.AuthorizationViolation:
    case nats().ErrorCode.AuthenticationExpired:
      return new NonRetryableError('nats_auth_failed', `NATS server at ${where(t)} refused the credentials: ${message}`);
    case nats().ErrorCode.PermissionsViolation:
      return permissionDenied(t, subject);
    case nats().ErrorCode.MaxPayloadExceeded:
      return new NonRetryableError('nats_payload_too_large', `NATS server at ${where(t)}: ${message}`);
    case nats().ErrorCode.NoResponders:
      return new RetryableError('nats_no_responders', `no one subscribes to ${subject} on the NATS server at ${where(t)}`);
    case nats().ErrorCode.Timeout:
      return new RetryableError('nats_timeout', `no reply on ${subject} from the NATS server at ${where(t)} in time`);
    default:
      return new RetryableError('nats_unavailable', `NATS server at ${where(t)}: ${message}`);
  }
}

/**
 * Watches the connection's status for a permissions violation on `subject`; `violated()` lets the
 * statuses already received be read, then says whether one was. The iterator ends with the connection.
 */
function watchPermissionErrors(nc: NatsConnection, subject: string) {
  let violation: string | undefined;
  const statuses = nc.status();
  void (async () => {
    for await (const st of statuses) {
      const context = (st as { permissionContext?: { operation: string; subject: string } }).permissionContext;
      if (st.data === nats().ErrorCode.PermissionsViolation && context?.operation === 'publish' && context.subject === subject) violation = context.subject;
    }
  })();
  return {
    async violated(): Promise<boolean> {
      await new Promise((resolve) => setImmediate(resolve));
      return violation !== undefined;
    },
  };
}

async function open(t: BrokerTarget): Promise<NatsConnection> {
  const token = t.credential.data['token'];
  return nats().connect({
    // tls:// connects by name (the TLS server name is taken from it), after the egress check of that name.
    servers: t.tls ? `tls://${t.host}:${t.port}` : `${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}`,
    ...(t.username !== undefined ? { user: t.username } : {}),
    ...(t.password !== undefined ? { pass: t.password } : {}),
    ...(token ? { token } : {}),
    ...(t.tls ? { tls: {} } : {}),
    // A server's cluster gossip must not send us to hosts the egress policy never judged.
    ignoreClusterUpdates: true,
    reconnect: false,
    timeout: CONNECT_TIMEOUT_MS,
    name: 'itw',
  });
}

export const natsPublishAction = defineAction({
  id: 'nats_publish',
  category: 'messaging',
  name: 'Publish NATS Message',
  description: 'Publishes one message to a NATS subject, with headers; with `request` it waits for one reply (request/reply) and returns it.',
  params: NatsPublishParams,
  output: NatsPublishOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const t = await resolveBroker(ctx, p.credential_id, 'nats', SCHEMES);
    return withSecretsMasked(t.secrets, async () => {
      let nc: NatsConnection;
      try {
        nc = await open(t);
      } catch (err) {
        throw natsError(t, err, p.subject);
      }
      const abort = () => void nc.close();
      ctx.signal.addEventListener('abort', abort, { once: true });
      // The server answers a publish it does not permit with an asynchronous -ERR, reported as a status.
      const denied = watchPermissionErrors(nc, p.subject);
      try {
        const { bytes } = encodePayload(p.payload);
        const h = nats().headers();
        for (const [k, v] of Object.entries(p.headers ?? {})) h.set(k, v);
        if (!h.has('Nats-Msg-Id')) h.set('Nats-Msg-Id', ctx.idempotencyKey);
        if (p.request) {
          const reply = await nc.request(p.subject, bytes, { timeout: p.timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS, headers: h });
          ctx.log.log('info', `NATS request on ${p.subject} answered with ${reply.data.length} bytes`, { server: where(t) });
          return { subject: p.subject, bytes: bytes.length, reply: { data: decode(reply.data), headers: headerMap(reply.headers), bytes: reply.data.length } };
        }
        nc.publish(p.subject, bytes, { headers: h });
        // A PING/PONG round trip: the server has processed the message (or refused it) when it returns.
        await nc.flush();
        if (await denied.violated()) throw permissionDenied(t, p.subject);
        ctx.log.log('info', `published ${bytes.length} bytes to NATS subject ${p.subject}`, { server: where(t) });
        return { subject: p.subject, bytes: bytes.length };
      } catch (err) {
        if (!(err instanceof ItwError) && (await denied.violated())) throw permissionDenied(t, p.subject);
        throw natsError(t, err, p.subject);
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        await nc.close().catch(() => undefined);
      }
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const bytes = encodePayload(p.payload).bytes.length;
    return p.request
      ? `send a ${bytes}-byte NATS request on ${p.subject} and wait up to ${p.timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS} ms for the reply (credential ${p.credential_id})`
      : `publish ${bytes} bytes to NATS subject ${p.subject} (credential ${p.credential_id})`;
  },
});
