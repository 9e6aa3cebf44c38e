import type { TriggerContext, TriggerHandle } from '../trigger-source.js';
import { decodePayload, type Deliver, type EventConfig } from './event-config.js';

/**
 * AMQP 0-9-1 (RabbitMQ): a durable queue, optionally bound to a topic exchange, consumed with manual
 * acks: a message is acked after its execution is recorded and nack'd back to the queue otherwise.
 * The broker's message_id is the idempotency key, so a redelivery starts nothing new.
 */
export async function startAmqp(ctx: TriggerContext, c: EventConfig, url: string, deliver: Deliver): Promise<TriggerHandle> {
  // amqplib is loaded with the first AMQP trigger, not at start (issue 14, idle RSS).
  const { default: amqp } = await import('amqplib');
  const conn = await amqp.connect(url, { timeout: 5000 });
  let closing = false;
  conn.on('error', (err: Error) => {
    if (!closing) ctx.failed(err);
  });
  conn.on('close', () => {
    if (!closing) ctx.failed(new Error(`amqp connection to ${url} closed`));
  });
  try {
    const ch = await conn.createChannel();
    await ch.assertQueue(c.queue, { durable: true });
    if (c.exchange !== undefined) {
      await ch.assertExchange(c.exchange, 'topic', { durable: true });
      await ch.bindQueue(c.queue!, c.exchange, c.routing_key ?? '#');
    }
    await ch.prefetch(c.prefetch);
    await ch.consume(c.queue!, (msg) => {
      if (msg === null) {
        if (!closing) ctx.failed(new Error(`amqp consumer of ${c.queue!} was cancelled by the broker`));
        return;
      }
      const id = msg.properties.messageId as unknown;
      const meta = {
        queue: c.queue, exchange: msg.fields.exchange, routing_key: msg.fields.routingKey, redelivered: msg.fields.redelivered,
        headers: msg.properties.headers ?? {}, message_id: typeof id === 'string' ? id : null,
      };
      deliver(decodePayload(msg.content), meta, typeof id === 'string' ? `amqp:${id}` : undefined).then(
        () => ch.ack(msg),
        (err: unknown) => {
          ctx.log('warn', 'amqp message requeued: its execution could not be recorded', { queue: c.queue, err: String(err) });
          ch.nack(msg, false, true);
        },
      );
    }, { noAck: false });
  } catch (err) {
    closing = true;
    await conn.close().catch(() => undefined);
    throw err;
  }
  return {
    async stop() {
      closing = true;
      await conn.close().catch(() => undefined);
    },
  };
}
