import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, type ApiServer, type Reply } from './api-server.js';

const TOKEN = 'tok-7f3a9c1e5b2d-never-shown';
const NEW_TOKEN = 'tok-0b9d8e7f6a5c-also-never-shown';
const PASSWORD = 'pw-4c2e8a6b0d1f-hidden';

describe.each(DIALECTS)('credentials API ($name)', (dialect) => {
  let s: ApiServer;
  const answers: Reply[] = [];
  /** Every answer goes through here, so the last test can check that none held a secret. */
  const call: ApiServer['call'] = async (method, path, opts) => {
    const r = await s.call(method, path, opts);
    answers.push(r);
    return r;
  };
  beforeAll(async () => { s = await startApiServer(dialect); });
  afterAll(async () => { await s.close(); });

  it('lists the credential types with their fields as JSON Schema and which ones are secret', async () => {
    const r = await call('GET', '/automation/credential-types', { as: 'viewer' });
    expect(r.status).toBe(200);
    const bearer = r.body.items.find((t: { type: string }) => t.type === 'http_bearer');
    expect(bearer).toEqual({
      type: 'http_bearer', label: 'HTTP bearer token', secret_fields: ['token'],
      schema: expect.objectContaining({ type: 'object', required: ['token'], properties: { token: expect.objectContaining({ type: 'string' }) } }),
    });
    expect(r.body.items.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(['slack', 'twilio', 'smtp', 'database', 'ssh_key']));
  });

  it('creates, shows, updates (keeping secrets not sent) and deletes a credential, by id or name', async () => {
    const created = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'status-api', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: ['status.example.com'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'status-api', type: 'http_bearer', fields: {}, secret_fields_set: ['token'] });
    expect(created.body.id).toMatch(/^cred_/);
    expect(created.headers.get('location')).toBe(`/automation/credentials/${created.body.id}`);
    const id = String(created.body.id);

    expect((await call('GET', '/automation/credentials', { as: 'viewer' })).body.items).toEqual([created.body]);
    expect((await call('GET', `/automation/credentials/${id}`, { as: 'viewer' })).body).toEqual(created.body);
    expect((await call('GET', '/automation/credentials/status-api', { as: 'viewer' })).body.id).toBe(id);

    const basic = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'legacy', type: 'http_basic', data: { username: 'ops', password: PASSWORD }, allowed_hosts: ['status.example.com'] } });
    expect(basic.body).toMatchObject({ fields: { username: 'ops' }, secret_fields_set: ['password'] });
    const renamed = await call('PATCH', `/automation/credentials/${basic.body.id}`, { as: 'editor', body: { name: 'legacy-api', data: { username: 'svc' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'legacy-api', fields: { username: 'svc' }, secret_fields_set: ['password'] });
    // The password not sent is still there: the step gets it.
    expect((await s.app.vault.get(String(basic.body.id))).data).toEqual({ username: 'svc', password: PASSWORD });

    const rotated = await call('PATCH', '/automation/credentials/status-api', { as: 'editor', body: { data: { token: NEW_TOKEN } } });
    expect(rotated.status).toBe(200);
    expect((await s.app.vault.get(id)).data).toEqual({ token: NEW_TOKEN });

    expect((await call('DELETE', '/automation/credentials/legacy-api', { as: 'editor' })).status).toBe(204);
    expect((await call('GET', `/automation/credentials/${basic.body.id}`)).status).toBe(404);
    expect((await call('DELETE', `/automation/credentials/${basic.body.id}`)).status).toBe(404);
  });

  it('refuses data that does not match the type with 400 naming each field, and a taken name with 409', async () => {
    const bad = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'broken', type: 'http_basic', data: { password: PASSWORD, colour: TOKEN }, allowed_hosts: ['status.example.com'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/data/colour', '/data/username']);
    const unknown = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'x', type: 'carrier_pigeon', data: { token: TOKEN } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: '/type' })]);
    const badPatch = await call('PATCH', '/automation/credentials/status-api', { as: 'editor', body: { data: { token: '', extra: TOKEN } } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/data/extra', '/data/token']);

    const taken = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'status-api', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: ['status.example.com'] } });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('conflict');
    const other = await call('POST', '/automation/credentials', { as: 'editor', body: { name: 'other', type: 'http_header', data: { name: 'X-Key', value: TOKEN }, allowed_hosts: ['status.example.com'] } });
    const clash = await call('PATCH', `/automation/credentials/${other.body.id}`, { as: 'editor', body: { name: 'status-api' } });
    expect(clash.status).toBe(409);
  });

  it('lets viewers read summaries but only editors change credentials', async () => {
    expect((await call('GET', '/automation/credentials', { as: 'viewer' })).status).toBe(200);
    expect((await call('POST', '/automation/credentials', { as: 'operator', body: { name: 'op', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: ['status.example.com'] } })).status).toBe(403);
    expect((await call('PATCH', '/automation/credentials/status-api', { as: 'viewer', body: { name: 'mine' } })).status).toBe(403);
    expect((await call('DELETE', '/automation/credentials/status-api', { as: 'operator' })).status).toBe(403);
    expect((await call('GET', '/automation/credentials', { as: null })).status).toBe(401);
  });

  it('never answers with a secret value, not even in errors', () => {
    expect(answers.length).toBeGreaterThan(15);
    for (const r of answers) {
      for (const secret of [TOKEN, NEW_TOKEN, PASSWORD]) expect(r.text).not.toContain(secret);
    }
  });
});
