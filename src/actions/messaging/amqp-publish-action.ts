import { type Static, Type } from '@sinclair/typebox';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type * as Amqp from 'amqplib';
import { lazyModule } from '../lazy-module.js';

const amqp = lazyModule<typeof Amqp>('amqplib');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { isNetworkError, resolveBroker, where, type BrokerTarget, type Schemes, tlsServername } from './broker-target.js';
import { encodePayload, PayloadParam } from './payload.js';

const SCHEMES: Schemes = { amqp: { port: 5672, tls: false }, amqps: { port: 5671, tls: true } };
const CONNECT_TIMEOUT_MS = 10_000;

const AmqpPublishParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type amqp: {url (vhost as path), username?, password?}' }),
    exchange: Type.Optional(Type.String({
      maxLength: 255, pattern: '^[A-Za-z0-9_.:-]*$',
      description: 'Exchange to publish to; it must exist. Empty (the default) is the default exchange, which routes to the queue named by routing_key',
    })),
    routing_key: Type.String({ maxLength: 255, description: 'Routing key (with the default exchange: the queue name)' }),
    payload: PayloadParam,
    persistent: Type.Optional(Type.Boolean({ description: 'Delivery mode 2: a durable queue keeps the message across broker restarts (default true)' })),
    headers: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description: 'Message headers (the headers exchange routes on them)' })),
    content_type: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Content type property (default: application/json for JSON payloads, text/plain otherwise)' })),
    message_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "message_id property (default: the step's idempotency key, so consumers can drop a retried duplicate)" })),
    mandatory: Type.Optional(Type.Boolean({ description: 'Fail (amqp_unroutable) when no queue is bound for the routing key, instead of the broker dropping the message (default false)' })),
    confirm: Type.Optional(Type.Boolean({ description: 'Publisher confirms: succeed only once the broker has taken responsibility for the message (default true)' })),
  },
  { additionalProperties: false },
);

const AmqpPublishOutput = Type.Object({
  exchange: Type.String(),
  routing_key: Type.String(),
  bytes: Type.Integer({ description: 'Payload size' }),
  message_id: Type.String(),
  confirmed: Type.Boolean({ description: 'The broker confirmed the message (publisher confirms)' }),
});

type Params = Static<typeof AmqpPublishParams>;

function vhostOf(url: URL): string {
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return path === '' ? '/' : path;
}

function amqpError(t: BrokerTarget, err: unknown): ItwError {
  if (err instanceof ItwError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) return new NonRetryableError('amqp_access_refused', `AMQP broker at ${where(t)} refused access: ${message}`);
  if (/NOT[-_]FOUND|\b404\b/.test(message)) return new NonRetryableError('amqp_not_found', `AMQP broker at ${where(t)}: ${message}`);
  if (/\b406\b|PRECONDITION/.test(message)) return new NonRetryableError('amqp_precondition_failed', `AMQP broker at ${where(t)}: ${message}`);
  if (isNetworkError(err) || /timeout|closed|ECONN/i.test(message)) return new RetryableError('amqp_unavailable', `AMQP broker at ${where(t)}: ${message}`);
  return new NonRetryableError('amqp_publish_failed', `AMQP broker at ${where(t)}: ${message}`);
}

async function open(t: BrokerTarget): Promise<ChannelModel> {
  return amqp().connect(
    {
      protocol: t.tls ? 'amqps' : 'amqp',
      hostname: t.address,
      port: t.port,
      vhost: vhostOf(t.url),
      ...(t.username !== undefined ? { username: t.username } : {}),
      ...(t.password !== undefined ? { password: t.password } : {}),
    },
    { timeout: CONNECT_TIMEOUT_MS, ...(t.tls ? tlsServername(t) : {}) },
  );
}

/** Publishes on `ch` and settles once the broker confirmed it, returned it (mandatory) or closed the channel. */
function publish(ch: Channel | ConfirmChannel, confirm: boolean, p: Params, content: Buffer, options: Amqp.Options.Publish): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let returned = false;
    ch.once('error', reject);
    ch.once('return', () => {
      returned = true;
    });
    const settle = (err?: unknown) => {
      if (err) return reject(err instanceof Error ? err : new Error('the broker did not confirm the message'));
      // The broker sends basic.return before the confirm of the same message.
      if (returned) return reject(new NonRetryableError('amqp_unroutable', `no queue is bound to exchange "${p.exchange ?? ''}" for routing key "${p.routing_key}": the broker returned the message`));
      resolve();
    };
    if (confirm) (ch as ConfirmChannel).publish(p.exchange ?? '', p.routing_key, content, options, (err) => settle(err));
    else {
      ch.publish(p.exchange ?? '', p.routing_key, content, options);
      // Closing waits for the broker's close-ok, after it processed the publish (and any return).
      ch.close().then(() => settle(), settle);
    }
  });
}

export const amqpPublishAction = defineAction({
  id: 'amqp_publish',
  category: 'messaging',
  name: 'Publish AMQP Message',
  description: 'Publishes one message to an exchange on an AMQP 0-9-1 broker (RabbitMQ), persistent by default and with publisher confirms: the step succeeds once the broker has taken the message.',
  params: AmqpPublishParams,
  output: AmqpPublishOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const t = await resolveBroker(ctx, p.credential_id, 'amqp', SCHEMES);
    return withSecretsMasked(t.secrets, async () => {
      let conn: ChannelModel;
      try {
        conn = await open(t);
      } catch (err) {
        throw amqpError(t, err);
      }
      // Without a listener, an 'error' event (a broker closing the connection) would crash the process.
      conn.on('error', () => undefined);
      const abort = () => void conn.close().catch(() => undefined);
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        const confirm = p.confirm ?? true;
        const ch = confirm ? await conn.createConfirmChannel() : await conn.createChannel();
        const { bytes, contentType } = encodePayload(p.payload);
        const messageId = p.message_id ?? ctx.idempotencyKey;
        await publish(ch, confirm, p, bytes, {
          persistent: p.persistent ?? true,
          mandatory: p.mandatory ?? false,
          contentType: p.content_type ?? contentType,
          messageId,
          timestamp: Math.floor(Date.now() / 1000),
          ...(p.headers ? { headers: p.headers } : {}),
        });
        const exchange = p.exchange ?? '';
        ctx.log.log('info', `published ${bytes.length} bytes to AMQP exchange "${exchange}" with routing key ${p.routing_key}${confirm ? ' (confirmed)' : ''}`, { broker: where(t) });
        return { exchange, routing_key: p.routing_key, bytes: bytes.length, message_id: messageId, confirmed: confirm };
      } catch (err) {
        throw amqpError(t, err);
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        await conn.close().catch(() => undefined);
      }
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const to = p.exchange ? `exchange "${p.exchange}"` : 'the default exchange';
    return `publish ${encodePayload(p.payload).bytes.length} bytes to AMQP ${to} with routing key ${p.routing_key}${(p.persistent ?? true) ? ' (persistent)' : ''} (credential ${p.credential_id})`;
  },
});
