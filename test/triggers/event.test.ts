import { randomUUID } from 'node:crypto';
import net from 'node:net';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS, SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions, untilTrigger } from './trigger-test-kit.js';

const run = randomUUID().slice(0, 8);

describe.each(DIALECTS)('internal event trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  it('POST /automation/events/{name} fires matching triggers once per Idempotency-Key; needs an operator key', async () => {
    const wf = await deployActive(s, echoWorkflow('On deploy events', { trigger_type: 'event', source: 'internal', name: 'deploy.*' }));
    const emit = (name: string, body: unknown, headers: Record<string, string> = {}) => s.call('POST', `/automation/events/${name}`, { body, headers, as: 'operator' });
    expect((await s.call('POST', '/automation/events/deploy.done', { body: {}, as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', '/automation/events/deploy.done', { body: {}, as: null })).status).toBe(401);
    const first = await emit('deploy.done', { version: '1.2' }, { 'idempotency-key': 'ev-1' });
    expect(first.status).toBe(202);
    expect(first.body.executions).toHaveLength(1);
    const again = await emit('deploy.done', { version: '1.2' }, { 'idempotency-key': 'ev-1' });
    expect(again.body.executions[0]).toMatchObject({ execution_id: first.body.executions[0].execution_id, duplicate: true });
    expect((await emit('build.done', {})).body.executions).toEqual([]);
    expect((await s.call('POST', '/automation/events/deploy.x', { raw: '{"a":', headers: { 'content-type': 'application/json' }, as: 'operator' })).status).toBe(400);
    const [ex] = await untilExecutions(s, wf, 1);
    expect(ex!.input_data).toMatchObject({ source: 'internal', name: 'deploy.done', payload: { version: '1.2' } });
  });

  it('the emit_event action starts another workflow', async () => {
    const listener = await deployActive(s, echoWorkflow('Listener', { trigger_type: 'event', source: 'internal', name: 'order.created' }));
    const emitter = await deployActive(s, {
      name: 'Emitter',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'emit', node_type: 'action', config: { action_type: 'emit_event', name: 'order.created', data: { order: '{{ $trigger.order }}' } } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'emit' }],
    });
    expect((await s.call('POST', `/automation/workflows/${emitter}/execute`, { body: { input_data: { order: 42 } } })).status).toBe(202);
    const [ex] = await untilExecutions(s, listener, 1);
    expect(ex!.input_data).toMatchObject({ name: 'order.created', payload: { order: 42 } });
  });
});

/** A loopback TCP proxy we can cut, to take a broker "down" without touching the real one. */
async function cuttableProxy(targetPort: number): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () => new Promise<void>((resolve) => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(client);
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => { client.destroy(); upstream.destroy(); };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as net.AddressInfo).port;
      resolve();
    });
  });
  await listen();
  const cut = async () => {
    const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const sck of sockets) sck.destroy();
    sockets.clear();
    await closed;
  };
  return { port, cut, restore: listen, close: cut };
}

describe('broker event triggers (sqlite)', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(SQLITE);
  });
  afterAll(async () => s.close());

  it('MQTT: QoS 1 message fires once per message id; a broker outage is reported and recovered from', async () => {
    const proxy = await cuttableProxy(1883);
    const topic = `itw/test/${run}/alerts`;
    const wf = await deployActive(s, echoWorkflow('MQTT', { trigger_type: 'event', source: 'mqtt', url: `mqtt://127.0.0.1:${proxy.port}`, topic: `itw/test/${run}/+` }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      const send = (id: string, payload: unknown) => pub.publishAsync(topic, JSON.stringify(payload), { qos: 1, properties: { userProperties: { 'message-id': id } } });
      await send('m-1', { cpu: 97 });
      await send('m-1', { cpu: 97 });
      await send('m-2', { cpu: 12 });
      const runs = await untilExecutions(s, wf, 2);
      await sleep(200);
      expect(await executionsOf(s, wf)).toHaveLength(2);
      expect(runs.map((r) => (r.input_data as { payload: { cpu: number } }).payload.cpu).sort()).toEqual([12, 97]);
      expect(runs[0]!.input_data).toMatchObject({ source: 'mqtt', topic });

      await proxy.cut();
      const down = await untilTrigger(s, wf, (t) => t.status === 'error');
      expect(down.last_error).toBeTruthy();
      // Published while our subscriber is away: the persistent session keeps it for us.
      await send('m-3', { cpu: 50 });
      await proxy.restore();
      await untilTrigger(s, wf, (t) => t.status === 'running');
      await untilExecutions(s, wf, 3);
      const health = await s.call('GET', '/health');
      expect(health.status).toBe(200);
    } finally {
      await pub.endAsync();
      await proxy.close();
    }
  });

  it('NATS JetStream: acked after the execution is recorded, keyed by the payload id; core subjects too', async () => {
    const stream = `ITW_${run}`;
    const subject = `itw.${run}.orders`;
    const wf = await deployActive(s, echoWorkflow('NATS JS', { trigger_type: 'event', source: 'nats', subject, stream, id_path: 'id' }));
    const core = await deployActive(s, echoWorkflow('NATS core', { trigger_type: 'event', source: 'nats', subject: `itw.${run}.core`, id_path: 'id' }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    await untilTrigger(s, core, (t) => t.status === 'running');
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    try {
      const js = nc.jetstream();
      await js.publish(subject, Buffer.from(JSON.stringify({ id: 'o-1', total: 10 })));
      await js.publish(subject, Buffer.from(JSON.stringify({ id: 'o-1', total: 10 })));
      await js.publish(subject, Buffer.from(JSON.stringify({ id: 'o-2', total: 20 })));
      const runs = await untilExecutions(s, wf, 2);
      expect(runs[0]!.input_data).toMatchObject({ source: 'nats', subject, stream });
      nc.publish(`itw.${run}.core`, Buffer.from(JSON.stringify({ id: 'c-1' })));
      nc.publish(`itw.${run}.core`, Buffer.from(JSON.stringify({ id: 'c-1' })));
      await untilExecutions(s, core, 1);
      await sleep(300);
      expect(await executionsOf(s, wf)).toHaveLength(2);
      expect(await executionsOf(s, core)).toHaveLength(1);
      const jsm = await nc.jetstreamManager();
      const info = await jsm.consumers.info(stream, (await jsm.consumers.list(stream).next())[0]!.name);
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
      await jsm.streams.delete(stream);
    } finally {
      await nc.close();
    }
  });

  it('AMQP: messages acked after recording, a redelivered message id starts nothing new', async () => {
    const queue = `itw.test.${run}`;
    const wf = await deployActive(s, echoWorkflow('AMQP', { trigger_type: 'event', source: 'amqp', queue, exchange: `itw.ex.${run}`, routing_key: 'orders.#' }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
    try {
      const ch = await conn.createChannel();
      ch.publish(`itw.ex.${run}`, 'orders.new', Buffer.from(JSON.stringify({ n: 1 })), { messageId: 'a-1', contentType: 'application/json' });
      ch.publish(`itw.ex.${run}`, 'orders.new', Buffer.from(JSON.stringify({ n: 1 })), { messageId: 'a-1', contentType: 'application/json' });
      ch.sendToQueue(queue, Buffer.from('plain'), { messageId: 'a-2' });
      const runs = await untilExecutions(s, wf, 2);
      expect(runs.map((r) => (r.input_data as { payload: unknown }).payload)).toEqual(expect.arrayContaining([{ n: 1 }, 'plain']));
      await sleep(300);
      expect(await executionsOf(s, wf)).toHaveLength(2);
      expect((await ch.checkQueue(queue)).messageCount).toBe(0);
      expect((await s.call('POST', `/automation/workflows/${wf}/deactivate`)).status).toBe(200);
      await ch.deleteQueue(queue);
      await ch.deleteExchange(`itw.ex.${run}`);
    } finally {
      await conn.close();
    }
  });

  it('a broker that is not there: status error with the reason, retried; the server stays up', async () => {
    const wf = await deployActive(s, echoWorkflow('Nowhere', { trigger_type: 'event', source: 'amqp', url: 'amqp://guest:guest@127.0.0.1:1', queue: 'nowhere' }));
    const t = await untilTrigger(s, wf, (x) => x.status === 'error');
    expect(t.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect((await s.call('GET', '/health')).status).toBe(200);
  });
});
