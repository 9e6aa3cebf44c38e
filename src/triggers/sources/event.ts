import { NO_HANDLE, type TriggerContext, type TriggerHandle, type TriggerSource } from '../trigger-source.js';
import { startAmqp } from './event-amqp.js';
import { startMqtt } from './event-mqtt.js';
import { EventConfigSchema, eventProblems, messageKey, type BrokerDefaults, type Deliver, type EventConfig } from './event-config.js';
import { startNats } from './event-nats.js';

/**
 * Events: internal ones (routed by the manager's emitEvent) and messages from MQTT, NATS and AMQP
 * brokers. A broker connection that drops reports the failure; the manager reconnects with backoff.
 * Messages are acknowledged only after their execution is recorded (at-least-once), and their id
 * is the idempotency key, so a redelivery starts nothing new.
 */
export function eventSource(defaults: BrokerDefaults): TriggerSource {
  return {
    type: 'event',
    configSchema: EventConfigSchema,
    check: (config) => eventProblems(config as EventConfig),
    // An MQTT subscription delivers to every subscriber (and processes sharing the client id take the
    // session from each other). NATS queue groups and durable consumers and AMQP queues share messages
    // out between processes already; internal events are fired where they are posted.
    singleton: (config) => (config as EventConfig).source === 'mqtt',
    async start(ctx: TriggerContext): Promise<TriggerHandle> {
      const c = ctx.binding.config as EventConfig;
      const deliver: Deliver = async (payload, meta, brokerId) => {
        await ctx.fire({ input: { source: c.source, payload, ...meta, received_at: new Date(ctx.clock.now()).toISOString() }, key: messageKey(c, payload, brokerId) });
      };
      switch (c.source) {
        case 'internal':
          return NO_HANDLE;
        case 'mqtt':
          return startMqtt(ctx, c, c.url ?? defaults.mqttUrl, deliver);
        case 'nats':
          return startNats(ctx, c, c.url ?? defaults.natsUrl, deliver);
        case 'amqp':
          return startAmqp(ctx, c, c.url ?? defaults.amqpUrl, deliver);
        default: {
          const never: never = c.source;
          throw new Error(`unknown event source ${String(never)}`);
        }
      }
    },
  };
}
