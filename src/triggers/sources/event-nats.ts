import type { MsgHdrs, NatsConnection } from 'nats';
import type { TriggerContext, TriggerHandle } from '../trigger-source.js';
import { decodePayload, type Deliver, type EventConfig } from './event-config.js';

function headerMap(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [k, v] of h) out[k] = v.join(', ');
  return out;
}

/**
 * NATS: with `stream`, a durable JetStream consumer whose messages are acked after their execution is
 * recorded (nak'd for redelivery otherwise), keyed by stream sequence; without, a core subscription
 * in a queue group (at-most-once), answering request/reply callers with the execution id.
 */
export async function startNats(ctx: TriggerContext, c: EventConfig, url: string, deliver: Deliver): Promise<TriggerHandle> {
  // nats is loaded with the first NATS trigger, not at start (issue 14, idle RSS).
  const { AckPolicy, connect } = await import('nats');
  const nc: NatsConnection = await connect({ servers: url.replace(/^nats:\/\//, ''), reconnect: false, timeout: 5000, name: `itw_${ctx.binding.id}` });
  let closing = false;
  void nc.closed().then((err) => {
    if (!closing) ctx.failed(err ?? new Error(`nats connection to ${url} closed`));
  });
  const stopFns: Array<() => Promise<void> | void> = [];
  if (c.stream !== undefined) {
    const jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(c.stream);
    } catch {
      await jsm.streams.add({ name: c.stream, subjects: [c.subject!] });
    }
    const durable = c.durable ?? `itw_${ctx.binding.id}`;
    try {
      await jsm.consumers.info(c.stream, durable);
    } catch {
      await jsm.consumers.add(c.stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: c.subject! });
    }
    const consumer = await nc.jetstream().consumers.get(c.stream, durable);
    const messages = await consumer.consume({ max_messages: 64 });
    stopFns.push(() => messages.stop());
    void (async () => {
      for await (const m of messages) {
        const hdrs = headerMap(m.headers);
        const msgId = hdrs['Nats-Msg-Id'];
        try {
          await deliver(decodePayload(m.data), { subject: m.subject, headers: hdrs, stream: c.stream, sequence: m.seq }, msgId !== undefined ? `nats:${msgId}` : `js:${c.stream}:${m.seq}`);
          m.ack();
        } catch (err) {
          ctx.log('warn', 'nats message nak\'d: its execution could not be recorded', { subject: m.subject, err: String(err) });
          m.nak(1000);
        }
      }
    })();
  } else {
    const sub = nc.subscribe(c.subject!, { queue: c.queue_group ?? `itw_${ctx.binding.id}` });
    stopFns.push(() => sub.unsubscribe());
    void (async () => {
      for await (const m of sub) {
        const hdrs = headerMap(m.headers);
        const msgId = hdrs['Nats-Msg-Id'];
        try {
          await deliver(decodePayload(m.data), { subject: m.subject, headers: hdrs }, msgId !== undefined ? `nats:${msgId}` : undefined);
          if (m.reply) m.respond(Buffer.from(JSON.stringify({ status: 'accepted' })));
        } catch (err) {
          ctx.log('warn', 'nats message dropped: its execution could not be recorded', { subject: m.subject, err: String(err) });
          if (m.reply) m.respond(Buffer.from(JSON.stringify({ status: 'error', message: String(err) })));
        }
      }
    })();
  }
  await nc.flush();
  return {
    async stop() {
      closing = true;
      for (const f of stopFns) await f();
      await nc.drain().catch(() => nc.close());
    },
  };
}
