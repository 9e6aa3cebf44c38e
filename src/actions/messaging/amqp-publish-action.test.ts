import { Value } from '@sinclair/typebox/value';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerCredential, guardedServices, uniqueName } from '../../../test/support/brokers.js';
import { testContext } from '../communication/test-context.js';
import { amqpPublishAction } from './amqp-publish-action.js';

// The RabbitMQ broker of this machine.
const URL = 'amqp://127.0.0.1:5672/';
const creds = [
  brokerCredential('rabbit', 'amqp', URL, { username: 'guest', password: 'guest' }),
  brokerCredential('wrong-pass', 'amqp', URL, { username: 'guest', password: 'not-the-password-991' }),
  brokerCredential('bound-elsewhere', 'amqp', URL, { username: 'guest', password: 'guest' }, ['rabbit.example.com']),
  brokerCredential('closed', 'amqp', 'amqp://127.0.0.1:1'),
];

type Params = Parameters<typeof amqpPublishAction.run>[0]['params'];

let conn: ChannelModel;
let ch: Channel;
const cleanup: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  ch = await conn.createChannel();
});
afterAll(async () => {
  for (const f of cleanup) await f();
  await conn.close();
});

async function queue(): Promise<string> {
  const name = uniqueName('itw-test-q');
  await ch.assertQueue(name, { durable: false, autoDelete: false });
  cleanup.push(() => ch.deleteQueue(name));
  return name;
}

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: amqpPublishAction.run(ctx) };
}

describe('amqp_publish against RabbitMQ', () => {
  it('publishes to a queue through the default exchange, persistent, confirmed, with the idempotency key as message_id', async () => {
    const q = await queue();
    const { result, lines } = run({ credential_id: 'rabbit', routing_key: q, payload: { incident: 42 }, headers: { source: 'itw', attempt: 1 } });
    expect(await result).toEqual({ exchange: '', routing_key: q, bytes: 15, message_id: 'exec-1:notify:0:1', confirmed: true });
    const msg = await ch.get(q, { noAck: true });
    if (msg === false) throw new Error('no message in the queue');
    expect(JSON.parse(msg.content.toString())).toEqual({ incident: 42 });
    expect(msg.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json', messageId: 'exec-1:notify:0:1', headers: { source: 'itw', attempt: 1 } });
    expect(JSON.stringify(lines)).not.toContain('guest');
  });

  it('routes through a topic exchange by routing key, transient and unconfirmed when asked', async () => {
    const q = await queue();
    const exchange = uniqueName('itw-test-x');
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
    await ch.bindQueue(q, exchange, 'alerts.#');
    const out = await run({ credential_id: 'rabbit', exchange, routing_key: 'alerts.db.down', payload: 'db-1 down', persistent: false, confirm: false, message_id: 'm-1' }).result;
    expect(out).toMatchObject({ exchange, confirmed: false, message_id: 'm-1' });
    const msg = await ch.get(q, { noAck: true });
    if (msg === false) throw new Error('no message in the queue');
    expect(msg.content.toString()).toBe('db-1 down');
    expect(msg.fields.routingKey).toBe('alerts.db.down');
    expect(msg.properties).toMatchObject({ deliveryMode: 1, contentType: 'text/plain; charset=utf-8', messageId: 'm-1' });
  });

  it('fails an unroutable mandatory message, and a missing exchange, with the broker\'s reason', async () => {
    await expect(run({ credential_id: 'rabbit', routing_key: uniqueName('no-such-queue'), payload: 'x', mandatory: true }).result).rejects.toMatchObject({ code: 'amqp_unroutable', retryable: false });
    await expect(run({ credential_id: 'rabbit', exchange: uniqueName('no-such-exchange'), routing_key: 'x', payload: 'x' }).result).rejects.toMatchObject({
      code: 'amqp_not_found', retryable: false, message: expect.stringContaining('no exchange'),
    });
  });

  it('reports wrong credentials as not retryable without the password, and a closed port as retryable', async () => {
    const err: unknown = await run({ credential_id: 'wrong-pass', routing_key: 'x', payload: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'amqp_access_refused', retryable: false });
    expect(JSON.stringify({ m: (err as Error).message, c: String((err as Error).cause) })).not.toContain('not-the-password-991');
    await expect(run({ credential_id: 'closed', routing_key: 'x', payload: 'x' }).result).rejects.toMatchObject({ code: 'amqp_unavailable', retryable: true });
  });
});

describe('amqp_publish refusals', () => {
  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'rabbit', routing_key: 'x', payload: 'x' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(refusals).toMatchObject([{ code: 'egress_denied', protocol: 'amqp' }]);
    await expect(run({ credential_id: 'bound-elsewhere', routing_key: 'x', payload: 'x' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ exchange: 'bad exchange' }, '/exchange'],
    [{ routing_key: 5 }, '/routing_key'],
    [{ headers: { x: { nested: true } } }, '/headers/x'],
    [{ persistent: 'yes' }, '/persistent'],
    [{ exchnage: 'typo' }, '/exchnage'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(amqpPublishAction.params, { credential_id: 'rabbit', routing_key: 'q', payload: 'x', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans the exchange and routing key', () => {
    expect(amqpPublishAction.plan?.(testContext({ credential_id: 'rabbit', exchange: 'ops', routing_key: 'alerts.db', payload: 'x' }).ctx)).toBe(
      'publish 1 bytes to AMQP exchange "ops" with routing key alerts.db (persistent) (credential rabbit)',
    );
  });
});
