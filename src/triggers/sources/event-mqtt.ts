import type { TriggerContext, TriggerHandle } from '../trigger-source.js';
import { decodePayload, type Deliver, type EventConfig } from './event-config.js';

/**
 * MQTT 5 with a persistent session (clean: false) and QoS 1: the PUBACK goes out only after the
 * execution is recorded (mqtt.js sends it when handleMessage calls back), so a message whose firing
 * failed is redelivered by the broker when the manager reconnects.
 */
export async function startMqtt(ctx: TriggerContext, c: EventConfig, url: string, deliver: Deliver): Promise<TriggerHandle> {
  // mqtt is loaded with the first MQTT trigger, not at start (issue 14, idle RSS).
  const { default: mqtt } = await import('mqtt');
  // Not connectAsync: the session's queued messages arrive right after CONNACK, and must meet our
  // handleMessage rather than the default one, which would acknowledge them unrecorded.
  const client = mqtt.connect(url, {
    clientId: c.client_id ?? `itw_${ctx.binding.id}`, clean: false, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000,
    properties: { sessionExpiryInterval: 86_400 },
  });
  let closing = false;
  client.handleMessage = (packet, callback) => {
    const props = packet.properties?.userProperties ?? {};
    const idProp = props['message-id'] ?? props['message_id'];
    const brokerId = typeof idProp === 'string' ? `mqtt:${idProp}` : undefined;
    const payload = decodePayload(packet.payload as Uint8Array);
    deliver(payload, { topic: packet.topic, retain: packet.retain, user_properties: props }, brokerId).then(
      () => callback(),
      (err: unknown) => {
        ctx.log('warn', 'mqtt message not acknowledged: its execution could not be recorded', { topic: packet.topic, err: String(err) });
        callback(err instanceof Error ? err : new Error(String(err)));
        ctx.failed(err);
      },
    );
  };
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error(`mqtt connection to ${url} closed`)));
    });
  } catch (err) {
    closing = true;
    client.end(true);
    throw err;
  }
  const lost = (err?: Error) => {
    if (!closing) ctx.failed(err ?? new Error(`mqtt connection to ${url} closed`));
  };
  client.on('close', () => lost());
  client.on('error', (err) => lost(err));
  await client.subscribeAsync(c.topic!, { qos: c.qos });
  return {
    async stop() {
      closing = true;
      await client.endAsync(true);
    },
  };
}
