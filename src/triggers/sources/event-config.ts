import { Type, type Static } from '@sinclair/typebox';
import { globToRegExp } from '../glob.js';

export const EVENT_BROKERS = ['internal', 'mqtt', 'nats', 'amqp'] as const;

export const EventConfigSchema = Type.Object({
  /** `internal`: POST /automation/events/{name} and the emit_event action; the others are external brokers. */
  source: Type.Union(EVENT_BROKERS.map((b) => Type.Literal(b)), { default: 'internal' }),
  /** internal: the event name; `*` matches within a dot-separated segment, `**` across (deploy.*, **). */
  name: Type.Optional(Type.String({ minLength: 1 })),
  /** Broker URL. @default ITW_MQTT_URL / ITW_NATS_URL / ITW_AMQP_URL */
  url: Type.Optional(Type.String({ minLength: 1 })),
  /** mqtt: topic filter (+ and # wildcards). */
  topic: Type.Optional(Type.String({ minLength: 1 })),
  /** mqtt: subscription QoS; 1 gives at-least-once (acknowledged after the execution is recorded). */
  qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
  /** mqtt: client id of the persistent session. @default itw_<trigger id> */
  client_id: Type.Optional(Type.String({ minLength: 1 })),
  /** nats: subject (* and > wildcards). */
  subject: Type.Optional(Type.String({ minLength: 1 })),
  /** nats: a JetStream stream (created when missing): a durable consumer, acked after the execution is recorded. Without it, core NATS (at-most-once). */
  stream: Type.Optional(Type.String({ minLength: 1 })),
  /** nats JetStream: durable consumer name. @default itw_<trigger id> */
  durable: Type.Optional(Type.String({ minLength: 1 })),
  /** nats core: queue group, so several servers share the subject. @default itw_<trigger id> */
  queue_group: Type.Optional(Type.String({ minLength: 1 })),
  /** amqp: the queue consumed (declared durable when missing). */
  queue: Type.Optional(Type.String({ minLength: 1 })),
  /** amqp: a topic exchange the queue is bound to (declared when missing). */
  exchange: Type.Optional(Type.String({ minLength: 1 })),
  /** amqp: binding key on `exchange`. @default # */
  routing_key: Type.Optional(Type.String()),
  /** amqp: unacknowledged messages in flight. */
  prefetch: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  /** Dotted path of a message id inside a JSON payload (`id`, `meta.event_id`): the idempotency key when the broker gives none. */
  id_path: Type.Optional(Type.String({ minLength: 1 })),
});
export type EventConfig = Static<typeof EventConfigSchema>;

/** Broker URLs from the server config, for triggers that name none. */
export interface BrokerDefaults {
  readonly mqttUrl: string;
  readonly natsUrl: string;
  readonly amqpUrl: string;
}

export function eventProblems(c: EventConfig): string[] {
  switch (c.source) {
    case 'internal':
      return c.name ? [] : ['/name: is required for internal events'];
    case 'mqtt':
      return c.topic ? [] : ['/topic: is required for mqtt'];
    case 'nats':
      return c.subject ? [] : ['/subject: is required for nats'];
    case 'amqp':
      return c.queue ? [] : ['/queue: is required for amqp'];
    default: {
      const never: never = c.source;
      return [`/source: unknown ${String(never)}`];
    }
  }
}

/** A broker payload for input_data: JSON when it parses, else text. */
export function decodePayload(buf: Uint8Array): unknown {
  const text = Buffer.from(buf).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The message id: the payload's `id_path` value wins, then the broker's own id. */
export function messageKey(c: EventConfig, payload: unknown, brokerId: string | undefined): string | null {
  if (c.id_path !== undefined && typeof payload === 'object' && payload !== null) {
    let v: unknown = payload;
    for (const part of c.id_path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    if (typeof v === 'string' || typeof v === 'number') return `id:${v}`;
  }
  return brokerId !== undefined && brokerId !== '' ? brokerId : null;
}

export function eventNameMatches(pattern: string, name: string): boolean {
  return globToRegExp(pattern.replace(/\./g, '/')).test(name.replace(/\./g, '/'));
}

/** The firing shared by every broker: payload + message metadata, recorded before the broker is acknowledged. */
export type Deliver = (payload: unknown, meta: Record<string, unknown>, brokerId: string | undefined) => Promise<void>;
