import { type Static, Type } from '@sinclair/typebox';
import type { IClientOptions, MqttClient } from 'mqtt';
import type * as Mqtt from 'mqtt';
import { lazyModule } from '../lazy-module.js';

const mqtt = lazyModule<typeof Mqtt>('mqtt');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { brokerError, resolveBroker, where, type BrokerTarget, type Schemes, tlsServername } from './broker-target.js';
import { encodePayload, PayloadParam } from './payload.js';

const SCHEMES: Schemes = { mqtt: { port: 1883, tls: false }, mqtts: { port: 8883, tls: true } };
const CONNECT_TIMEOUT_MS = 10_000;
// MQTT 5 CONNACK / PUBACK reason codes that mean "not with these credentials / not this topic".
const REFUSED_CODES = new Set([0x86, 0x87, 0x8c, 0x90, 0x97]);

const MqttPublishParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type mqtt: {url, username?, password?, client_id?}' }),
    topic: Type.String({
      minLength: 1, maxLength: 65535, pattern: '^[^#+\\u0000]+$',
      description: 'Topic to publish to (no wildcards: + and # are for subscriptions)',
    }),
    payload: PayloadParam,
    qos: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], {
      description: 'Delivery guarantee: 0 at most once, 1 at least once (default: the broker acknowledged it), 2 exactly once',
    })),
    retain: Type.Optional(Type.Boolean({ description: 'Broker keeps the message and hands it to future subscribers of the topic (default false)' })),
    user_properties: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.String(), { description: 'MQTT 5 user properties sent with the message' })),
  },
  { additionalProperties: false },
);

const MqttPublishOutput = Type.Object({
  topic: Type.String(),
  qos: Type.Integer(),
  retain: Type.Boolean(),
  bytes: Type.Integer({ description: 'Payload size' }),
  message_id: Type.Optional(Type.Integer({ description: 'Packet id the broker acknowledged (QoS 1 and 2)' })),
});

type Params = Static<typeof MqttPublishParams>;

function refused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && REFUSED_CODES.has(code);
}

async function connect(t: BrokerTarget, idempotencyKey: string): Promise<MqttClient> {
  const prefix = t.credential.data['client_id']?.trim() || 'itw';
  const options: IClientOptions = {
    ...(t.tls ? tlsServername(t) : {}),
    ...(t.username !== undefined ? { username: t.username } : {}),
    ...(t.password !== undefined ? { password: t.password } : {}),
    // A fresh id per step attempt: two steps publishing at once must not take over each other's session.
    clientId: `${prefix}_${idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(-40)}_${Math.random().toString(36).slice(2, 8)}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
  try {
    const host = t.address.includes(':') ? `[${t.address}]` : t.address;
    // allowRetries false: a connection closed before CONNACK rejects instead of waiting for reconnects.
    return await mqtt().connectAsync(`${t.tls ? 'mqtts' : 'mqtt'}://${host}:${t.port}`, options, false);
  } catch (err) {
    if (refused(err)) throw new NonRetryableError('mqtt_auth_failed', `MQTT broker at ${where(t)} refused the connection: ${(err as Error).message}`);
    throw new RetryableError('mqtt_unavailable', `cannot connect to the MQTT broker at ${where(t)}: ${(err as Error).message}`);
  }
}

export const mqttPublishAction = defineAction({
  id: 'mqtt_publish',
  category: 'messaging',
  name: 'Publish MQTT Message',
  description: 'Publishes one message to a topic on an MQTT broker (MQTT 5), with QoS 0, 1 or 2 and the retain flag; with QoS 1 or 2 it succeeds once the broker has acknowledged the message.',
  params: MqttPublishParams,
  output: MqttPublishOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const t = await resolveBroker(ctx, p.credential_id, 'mqtt', SCHEMES);
    return withSecretsMasked(t.secrets, async () => {
      const client = await connect(t, ctx.idempotencyKey);
      const abort = () => client.end(true);
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        const { bytes, contentType } = encodePayload(p.payload);
        const qos = p.qos ?? 1;
        const retain = p.retain ?? false;
        const packet = await client.publishAsync(p.topic, bytes, {
          qos, retain, properties: { contentType, ...(p.user_properties ? { userProperties: p.user_properties } : {}) },
        });
        const messageId = packet !== undefined && 'messageId' in packet && typeof packet.messageId === 'number' && qos > 0 ? packet.messageId : undefined;
        ctx.log.log('info', `published ${bytes.length} bytes to MQTT topic ${p.topic} (QoS ${qos}${retain ? ', retained' : ''})`, { broker: where(t) });
        return { topic: p.topic, qos, retain, bytes: bytes.length, ...(messageId !== undefined ? { message_id: messageId } : {}) };
      } catch (err) {
        if (err instanceof ItwError) throw err;
        if (refused(err)) throw new NonRetryableError('mqtt_publish_refused', `MQTT broker at ${where(t)} refused the message on ${p.topic}: ${(err as Error).message}`);
        throw brokerError('mqtt', t, err, 'publish_failed');
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        await client.endAsync().catch(() => undefined);
      }
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `publish ${encodePayload(p.payload).bytes.length} bytes to MQTT topic ${p.topic} (QoS ${p.qos ?? 1}${p.retain ? ', retained' : ''}) with credential ${p.credential_id}`;
  },
});
