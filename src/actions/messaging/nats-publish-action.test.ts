import { Value } from '@sinclair/typebox/value';
import { connect, type NatsConnection, type Msg } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerCredential, guardedServices, startNatsWithAuth, uniqueName, type AuthBroker } from '../../../test/support/brokers.js';
import { testContext } from '../communication/test-context.js';
import { natsPublishAction } from './nats-publish-action.js';

// The NATS server of this machine (no auth on loopback).
const URL = 'nats://127.0.0.1:4222';
const TOKEN = 'nats-token-secret-7781';
const creds = [
  brokerCredential('nats', 'nats', URL, { token: TOKEN }),
  brokerCredential('bound-elsewhere', 'nats', URL, {}, ['nats.example.com:4222']),
  brokerCredential('closed', 'nats', 'nats://127.0.0.1:1'),
  brokerCredential('amqp', 'amqp', 'amqp://127.0.0.1'),
];

type Params = Parameters<typeof natsPublishAction.run>[0]['params'];

let nc: NatsConnection;
let secured: AuthBroker;
const NATS_PASSWORD = 'nats-user-pass-3390';

beforeAll(async () => {
  nc = await connect({ servers: '127.0.0.1:4222' });
  // A second server that wants a user and limits where it may publish.
  secured = await startNatsWithAuth(NATS_PASSWORD);
  const at = `nats://127.0.0.1:${secured.port}`;
  creds.push(brokerCredential('secured', 'nats', at, { username: 'itw', password: NATS_PASSWORD }), brokerCredential('secured-wrong', 'nats', at, { username: 'itw', password: 'wrong-nats-pass-77' }));
});
afterAll(async () => {
  await nc.close();
  secured.close();
});

/** The first message on `subject`, subscribed (and confirmed by the server) before it returns. */
async function firstMessage(subject: string, answer?: (m: Msg) => void): Promise<{ next: Promise<Msg> }> {
  const sub = nc.subscribe(subject, { max: 1 });
  const next = (async () => {
    for await (const m of sub) {
      answer?.(m);
      return m;
    }
    throw new Error('subscription ended without a message');
  })();
  await nc.flush();
  return { next };
}

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: natsPublishAction.run(ctx) };
}

describe('nats_publish against a NATS server', () => {
  it('publishes the payload with headers and the idempotency key as Nats-Msg-Id', async () => {
    const subject = uniqueName('itw.test.alerts').replace(/-/g, '_');
    const { next } = await firstMessage(subject);
    const { result, lines } = run({ credential_id: 'nats', subject, payload: { host: 'db-1' }, headers: { 'X-Source': 'itw' } });
    expect(await result).toEqual({ subject, bytes: 15 });
    const msg = await next;
    expect(JSON.parse(Buffer.from(msg.data).toString())).toEqual({ host: 'db-1' });
    expect(msg.headers?.get('X-Source')).toBe('itw');
    expect(msg.headers?.get('Nats-Msg-Id')).toBe('exec-1:notify:0:1');
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('sends a request and returns the reply, parsed when it is JSON', async () => {
    const subject = uniqueName('itw.test.rpc').replace(/-/g, '_');
    const { next } = await firstMessage(subject, (m) => m.respond(Buffer.from(JSON.stringify({ status: 'ok', echo: Buffer.from(m.data).toString() }))));
    const out = await run({ credential_id: 'nats', subject, payload: 'ping', request: true }).result;
    expect(out).toMatchObject({ subject, bytes: 4, reply: { data: { status: 'ok', echo: 'ping' }, headers: {} } });
    await next;
  });

  it('reports a request no one subscribes to, and one never answered, as retryable', async () => {
    const subject = uniqueName('itw.test.nobody').replace(/-/g, '_');
    await expect(run({ credential_id: 'nats', subject, payload: 'x', request: true }).result).rejects.toMatchObject({ code: 'nats_no_responders', retryable: true });
    const silent = `${subject}_silent`;
    const { next } = await firstMessage(silent);
    await expect(run({ credential_id: 'nats', subject: silent, payload: 'x', request: true, timeout_ms: 300 }).result).rejects.toMatchObject({ code: 'nats_timeout', retryable: true });
    await next;
  });

  it('logs in with user and password; a wrong password is not retryable and not repeated', async () => {
    await expect(run({ credential_id: 'secured', subject: 'itw.allowed.x', payload: 'ok' }).result).resolves.toEqual({ subject: 'itw.allowed.x', bytes: 2 });
    const err: unknown = await run({ credential_id: 'secured-wrong', subject: 'itw.allowed.x', payload: 'x' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'nats_auth_failed', retryable: false });
    expect((err as Error).message).not.toContain('wrong-nats-pass-77');
  });

  it('reports a subject the user may not publish on as not retryable', async () => {
    await expect(run({ credential_id: 'secured', subject: 'itw.forbidden', payload: 'x' }).result).rejects.toMatchObject({ code: 'nats_permission_denied', retryable: false });
    await expect(run({ credential_id: 'secured', subject: 'itw.forbidden', payload: 'x', request: true, timeout_ms: 300 }).result).rejects.toMatchObject({ code: 'nats_permission_denied' });
  });

  it('refuses a payload over the server\'s max_payload, and reports a closed port as retryable', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    await expect(run({ credential_id: 'nats', subject: 'itw.big', payload: big }).result).rejects.toMatchObject({ code: 'nats_payload_too_large', retryable: false });
    await expect(run({ credential_id: 'closed', subject: 'itw.x', payload: 'x' }).result).rejects.toMatchObject({ code: 'nats_unavailable', retryable: true });
  });
});

describe('nats_publish refusals', () => {
  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'nats', subject: 'itw.x', payload: 'x' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(refusals).toMatchObject([{ code: 'egress_denied', protocol: 'nats' }]);
    await expect(run({ credential_id: 'bound-elsewhere', subject: 'itw.x', payload: 'x' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
    await expect(run({ credential_id: 'amqp', subject: 'itw.x', payload: 'x' }).result).rejects.toMatchObject({ code: 'credential_type' });
  });

  it.each([
    [{ subject: 'itw.*' }, '/subject'],
    [{ subject: 'itw.>' }, '/subject'],
    [{ subject: 'two words' }, '/subject'],
    [{ headers: { 'Bad:Name': 'x' } }, '/headers/Bad:Name'],
    [{ headers: { 'X-Ok': 'line\r\nX-Injected: 1' } }, '/headers/X-Ok'],
    [{ timeout_ms: 0 }, '/timeout_ms'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(natsPublishAction.params, { credential_id: 'nats', subject: 'itw.x', payload: 'x', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans a publish and a request', () => {
    const plan = (params: Params) => natsPublishAction.plan?.(testContext(params).ctx);
    expect(plan({ credential_id: 'nats', subject: 'ops.restart', payload: 'now' })).toBe('publish 3 bytes to NATS subject ops.restart (credential nats)');
    expect(plan({ credential_id: 'nats', subject: 'ops.rpc', payload: 'now', request: true })).toBe('send a 3-byte NATS request on ops.rpc and wait up to 5000 ms for the reply (credential nats)');
  });
});
