import { Value } from '@sinclair/typebox/value';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerCredential, guardedServices, startMosquittoWithAuth, uniqueName, type AuthBroker } from '../../../test/support/brokers.js';
import { testContext } from '../communication/test-context.js';
import { mqttPublishAction } from './mqtt-publish-action.js';

// The Mosquitto broker of this machine (anonymous access on loopback).
const URL = 'mqtt://127.0.0.1:1883';
const PASSWORD = 'mqtt-secret-pass-4411';
const creds = [
  brokerCredential('mqtt', 'mqtt', URL, { username: 'itw', password: PASSWORD }),
  brokerCredential('bound-elsewhere', 'mqtt', URL, {}, ['broker.example.com']),
  brokerCredential('closed', 'mqtt', 'mqtt://127.0.0.1:1'),
  brokerCredential('leaky', 'mqtt', 'mqtt://itw:hunter22@127.0.0.1:1883'),
];

type Params = Parameters<typeof mqttPublishAction.run>[0]['params'];

let sub: MqttClient;
let secured: AuthBroker;

beforeAll(async () => {
  sub = await mqtt.connectAsync(URL, { protocolVersion: 5, reconnectPeriod: 0 });
  // A second Mosquitto that wants a password and an ACL, for the refusals a real site gives.
  secured = await startMosquittoWithAuth(PASSWORD);
  const at = `mqtt://127.0.0.1:${secured.port}`;
  creds.push(brokerCredential('secured', 'mqtt', at, { username: 'itw', password: PASSWORD }), brokerCredential('secured-wrong', 'mqtt', at, { username: 'itw', password: 'wrong-password-1234' }));
});
afterAll(async () => {
  await sub.endAsync();
  secured.close();
});

type Received = { payload: string; retain: boolean; props: Record<string, unknown> };

/** Subscribes to `topic` (resolving once the broker confirmed it); `next` is its next message. */
async function subscribe(topic: string): Promise<{ next: Promise<Received> }> {
  const next = new Promise<Received>((resolve) => {
    const on = (t: string, payload: Buffer, packet: mqtt.IPublishPacket) => {
      if (t !== topic) return;
      sub.off('message', on);
      resolve({ payload: payload.toString('utf8'), retain: packet.retain, props: (packet.properties ?? {}) });
    };
    sub.on('message', on);
  });
  await sub.subscribeAsync(topic, { qos: 1 });
  return { next };
}

function run(params: Params, services = undefined as ReturnType<typeof guardedServices>['services'] | undefined) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: mqttPublishAction.run(ctx) };
}

describe('mqtt_publish against Mosquitto', () => {
  it('publishes a JSON payload with QoS 1 that a subscriber receives, with its user properties', async () => {
    const topic = uniqueName('itw/test/alerts');
    const { next } = await subscribe(topic);
    const { result, lines } = run({ credential_id: 'mqtt', topic, payload: { host: 'db-1', status: 'down' }, user_properties: { source: 'itw' } });
    const out = await result;
    expect(out).toMatchObject({ topic, qos: 1, retain: false, bytes: 31 });
    expect(out.message_id).toEqual(expect.any(Number));
    const msg = await next;
    expect(JSON.parse(msg.payload)).toEqual({ host: 'db-1', status: 'down' });
    expect(msg.props).toMatchObject({ contentType: 'application/json', userProperties: { source: 'itw' } });
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
    expect(lines[0]!.message).toBe(`published 31 bytes to MQTT topic ${topic} (QoS 1)`);
  });

  it('keeps a retained message for a subscriber that comes later, and clears it with an empty retained one', async () => {
    const topic = uniqueName('itw/test/state');
    await expect(run({ credential_id: 'mqtt', topic, payload: 'maintenance', qos: 2, retain: true }).result).resolves.toMatchObject({ qos: 2, retain: true, bytes: 11 });
    const late = await mqtt.connectAsync(URL, { protocolVersion: 5, reconnectPeriod: 0 });
    try {
      const got = new Promise<{ payload: string; retain: boolean }>((resolve) => late.once('message', (_t, payload, packet) => resolve({ payload: String(payload), retain: packet.retain })));
      await late.subscribeAsync(topic);
      expect(await got).toEqual({ payload: 'maintenance', retain: true });
    } finally {
      await late.endAsync();
    }
    await expect(run({ credential_id: 'mqtt', topic, payload: '', qos: 0, retain: true }).result).resolves.toMatchObject({ qos: 0, bytes: 0 });
  });

  it('logs in with the credential\'s user and password, and reports a wrong password as not retryable, without it', async () => {
    const topic = `itw/allowed/${uniqueName('x')}`;
    await expect(run({ credential_id: 'secured', topic, payload: 'ok' }).result).resolves.toMatchObject({ topic, qos: 1 });
    const err: unknown = await run({ credential_id: 'secured-wrong', topic, payload: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'mqtt_auth_failed', retryable: false });
    expect((err as Error).message).not.toContain('wrong-password-1234');
  });

  it('reports a publish the broker\'s ACL refuses (MQTT 5 PUBACK reason code) as not retryable', async () => {
    await expect(run({ credential_id: 'secured', topic: 'itw/forbidden/x', payload: 'x', qos: 1 }).result).rejects.toMatchObject({ code: 'mqtt_publish_refused', retryable: false });
  });

  it('reports a broker it cannot reach as retryable', async () => {
    await expect(run({ credential_id: 'closed', topic: 'itw/x', payload: 'x' }).result).rejects.toMatchObject({ code: 'mqtt_unavailable', retryable: true });
  });
});

describe('mqtt_publish refusals', () => {
  it('refuses a loopback broker when the egress policy blocks it, before connecting', async () => {
    const topic = uniqueName('itw/test/denied');
    let delivered = false;
    sub.on('message', (t) => {
      if (t === topic) delivered = true;
    });
    await sub.subscribeAsync(topic);
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'mqtt', topic, payload: 'x' }, services).result).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    expect(refusals).toEqual([{ code: 'egress_denied', host: '127.0.0.1', ip: '127.0.0.1', protocol: 'mqtt' }]);
    await run({ credential_id: 'mqtt', topic: `${topic}/after`, payload: 'x', qos: 1 }).result; // a round trip: anything sent before has arrived
    expect(delivered).toBe(false);
  });

  it('refuses a credential bound to another host', async () => {
    await expect(run({ credential_id: 'bound-elsewhere', topic: 'itw/x', payload: 'x' }).result).rejects.toMatchObject({
      code: 'credential_host_denied', message: expect.stringContaining('broker.example.com'),
    });
  });

  it('refuses a credential whose url holds a password, without repeating it', async () => {
    const err: unknown = await run({ credential_id: 'leaky', topic: 'itw/x', payload: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'credential_invalid', message: expect.stringContaining('password field') });
    expect((err as Error).message).not.toContain('hunter22');
  });

  it.each([
    [{ topic: 'itw/+/x' }, '/topic'],
    [{ topic: 'itw/#' }, '/topic'],
    [{ topic: '' }, '/topic'],
    [{ qos: 3 }, '/qos'],
    [{ retain: 'yes' }, '/retain'],
    [{ topik: 'typo' }, '/topik'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(mqttPublishAction.params, { credential_id: 'mqtt', topic: 'itw/x', payload: 'x', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans without connecting or naming a secret', () => {
    expect(mqttPublishAction.plan?.(testContext({ credential_id: 'mqtt', topic: 'itw/a', payload: { a: 1 }, retain: true }).ctx)).toBe(
      'publish 7 bytes to MQTT topic itw/a (QoS 1, retained) with credential mqtt',
    );
  });
});
