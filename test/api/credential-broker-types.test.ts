// The broker and directory credential types (issue 16: mqtt, nats, amqp, redis, ldap) through the
// API: bound by default to the host of their url, secrets write-only, bad data named, viewers refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE } from '../support/harness.js';
import { startApiServer, type ApiServer } from './api-server.js';

const SECRET = 'broker-secret-value-6620';

const CASES: Array<[string, Record<string, string>, string]> = [
  ['mqtt', { url: 'mqtts://mqtt.corp.example:8883', username: 'itw', password: SECRET }, 'mqtt.corp.example'],
  ['nats', { url: 'nats://nats.corp.example:4222', token: SECRET }, 'nats.corp.example'],
  ['amqp', { url: 'amqps://rabbit.corp.example/ops', username: 'itw', password: SECRET }, 'rabbit.corp.example'],
  ['redis', { url: 'rediss://cache.corp.example:6380/2', password: SECRET }, 'cache.corp.example'],
  ['ldap', { url: 'ldaps://ldap.corp.example', bind_dn: 'cn=itw,dc=corp,dc=example', password: SECRET, base_dn: 'dc=corp,dc=example' }, 'ldap.corp.example'],
];

describe('broker and directory credentials', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE);
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(CASES)('%s: bound to the host of its url, the secret never shown', async (type, data, host) => {
    const created = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: `${type}-1`, type, data } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ type, allowed_hosts: [], effective_allowed_hosts: [host] });
    const read = await s.call('GET', `/automation/credentials/${String(created.body.id)}`, { as: 'viewer' });
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
  });

  it('names a missing field and an unknown one (400 problem+json)', async () => {
    const missing = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'ldap-bad', type: 'ldap', data: { url: 'ldap://x', password: 'p' } } });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(missing.body)).toContain('bind_dn');
    const unknown = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'redis-bad', type: 'redis', data: { url: 'redis://x', pasword: 'typo' } } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('pasword');
  });

  it('refuses a viewer and an operator, and an anonymous caller', async () => {
    const body = { name: 'mqtt-x', type: 'mqtt', data: { url: 'mqtt://m.example' } };
    expect((await s.call('POST', '/automation/credentials', { as: 'viewer', body })).status).toBe(403);
    expect((await s.call('POST', '/automation/credentials', { as: 'operator', body })).status).toBe(403);
    expect((await s.call('POST', '/automation/credentials', { as: null, body })).status).toBe(401);
  });
});
