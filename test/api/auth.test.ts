import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdminKey } from '../../src/api/auth/bootstrap-admin.js';
import { ROLES, type Role } from '../../src/model/roles.js';
import { DIALECTS, SQLITE } from '../support/harness.js';
import { startApiServer, type ApiServer } from './api-server.js';

/**
 * Every route and the weakest role allowed on it (`public`: no credentials needed; `link`: no API
 * credentials, the signed token in the path is the credential, so a made-up one is 401).
 */
const MIN_ROLE: Record<string, Role | 'public' | 'link'> = {
  'GET /health': 'public',
  'GET /metrics': 'viewer',
  'POST /auth/login': 'public',
  'GET /auth/setup': 'public',
  'POST /auth/setup': 'public',
  'POST /auth/logout': 'viewer',
  'GET /auth/me': 'viewer',
  'GET /automation/admin/users': 'admin',
  'POST /automation/admin/users': 'admin',
  'PATCH /automation/admin/users/{id}': 'admin',
  'DELETE /automation/admin/users/{id}': 'admin',
  'GET /automation/admin/api-keys': 'admin',
  'POST /automation/admin/api-keys': 'admin',
  'DELETE /automation/admin/api-keys/{id}': 'admin',
  'GET /automation/admin/audit': 'admin',
  'GET /automation/workflows': 'viewer',
  'POST /automation/workflows': 'editor',
  'GET /automation/workflows/{id}': 'viewer',
  'PUT /automation/workflows/{id}': 'editor',
  'DELETE /automation/workflows/{id}': 'editor',
  'GET /automation/workflows/{id}/preflight': 'viewer',
  'POST /automation/workflows/{id}/activate': 'editor',
  'POST /automation/workflows/{id}/deactivate': 'editor',
  'POST /automation/workflows/{id}/nodes': 'editor',
  'PATCH /automation/workflows/{id}/nodes/{node_id}': 'editor',
  'DELETE /automation/workflows/{id}/nodes/{node_id}': 'editor',
  'POST /automation/workflows/{id}/edges': 'editor',
  'DELETE /automation/workflows/{id}/edges/{edge_id}': 'editor',
  'GET /automation/workflows/{id}/versions': 'viewer',
  'GET /automation/workflows/{id}/versions/{version}': 'viewer',
  'POST /automation/workflows/{id}/versions/{version}/restore': 'editor',
  'GET /automation/workflows/{id}/export': 'viewer',
  'POST /automation/workflows/import': 'editor',
  'POST /automation/workflows/{id}/clone': 'editor',
  'POST /automation/workflows/{id}/execute': 'operator',
  'GET /automation/workflows/{id}/executions': 'viewer',
  'GET /automation/executions': 'viewer',
  'GET /automation/executions/{id}': 'viewer',
  'POST /automation/executions/{id}/cancel': 'operator',
  'POST /automation/executions/{id}/retry': 'operator',
  'POST /automation/executions/{id}/pause': 'operator',
  'POST /automation/executions/{id}/resume': 'operator',
  'GET /automation/executions/{id}/events': 'viewer',
  'GET /automation/events': 'viewer',
  'POST /automation/workflows/{id}/triggers': 'editor',
  'GET /automation/workflows/{id}/triggers': 'viewer',
  'DELETE /automation/workflows/{id}/triggers/{trigger_id}': 'editor',
  'DELETE /webhooks/{path}': 'public',
  'DELETE /api/custom/{path}': 'viewer',
  'GET /webhooks/{path}': 'public',
  'GET /api/custom/{path}': 'viewer',
  'PATCH /webhooks/{path}': 'public',
  'PATCH /api/custom/{path}': 'viewer',
  'POST /webhooks/{path}': 'public',
  'POST /api/custom/{path}': 'viewer',
  'PUT /webhooks/{path}': 'public',
  'PUT /api/custom/{path}': 'viewer',
  'POST /alerts/{path}': 'public',
  'POST /slack/interactions': 'public',
  'POST /slack/commands': 'public',
  'POST /deployments/{path}': 'public',
  'POST /automation/events/{name}': 'operator',
  'GET /automation/templates': 'viewer',
  'GET /automation/templates/{id}': 'viewer',
  'POST /automation/templates/{id}/use': 'editor',
  'GET /automation/actions': 'viewer',
  'GET /automation/actions/{id}': 'viewer',
  'GET /automation/metrics/dashboard': 'viewer',
  'GET /automation/workflows/{id}/metrics': 'viewer',
  'GET /automation/node-types': 'viewer',
  'GET /automation/trigger-types': 'viewer',
  'GET /automation/action-types': 'viewer',
  'GET /automation/credential-types': 'viewer',
  'GET /automation/credentials': 'viewer',
  'POST /automation/credentials': 'editor',
  'GET /automation/credentials/{id}': 'viewer',
  'PATCH /automation/credentials/{id}': 'editor',
  'DELETE /automation/credentials/{id}': 'editor',
  'GET /automation/hosts': 'viewer',
  'POST /automation/hosts': 'operator',
  'GET /automation/hosts/export': 'viewer',
  'POST /automation/hosts/import': 'operator',
  'GET /automation/hosts/{id}': 'viewer',
  'PUT /automation/hosts/{id}': 'operator',
  'DELETE /automation/hosts/{id}': 'operator',
  'GET /automation/approvals': 'viewer',
  'POST /automation/approvals/{run_id}/approve': 'operator',
  'POST /automation/approvals/{run_id}/reject': 'operator',
  'GET /approvals/{token}': 'link',
  'POST /approvals/{token}': 'link',
  'GET /automation/incidents': 'viewer',
  'POST /automation/incidents': 'operator',
  'GET /automation/incidents/{id}': 'viewer',
  'PATCH /automation/incidents/{id}': 'operator',
  'POST /automation/incidents/{id}/assign': 'operator',
  'POST /automation/incidents/{id}/acknowledge': 'operator',
  'POST /automation/incidents/{id}/escalate': 'operator',
  'POST /automation/incidents/{id}/resolve': 'operator',
  'POST /automation/incidents/{id}/notes': 'operator',
  'GET /automation/alerts': 'viewer',
  'POST /automation/alerts': 'operator',
  'GET /automation/escalation-policies': 'viewer',
  'POST /automation/escalation-policies': 'editor',
  'GET /automation/escalation-policies/{id}': 'viewer',
  'PUT /automation/escalation-policies/{id}': 'editor',
  'DELETE /automation/escalation-policies/{id}': 'editor',
};

/** Concrete URL for a templated path: unknown ids, so allowed requests end in 404/400, never in a side effect. */
const concrete = (path: string) => path.replace('{version}', '1').replace(/\{[a-z_]+\}/g, 'zz_missing');

describe('authentication and roles', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE);
  });
  afterAll(async () => s.close());

  it('the table covers every route of the OpenAPI document', async () => {
    const doc = await s.call('GET', '/openapi.json', { as: null });
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(Object.keys(MIN_ROLE).sort());
  });

  it('answers 401 problem+json without credentials everywhere but the public routes', async () => {
    for (const [route, min] of Object.entries(MIN_ROLE)) {
      const [method, path] = route.split(' ') as [string, string];
      const r = await s.call(method, concrete(path), { as: null, ...(method === 'GET' ? {} : { body: {} }) });
      if (min === 'public') expect(r.status, route).not.toBe(401);
      else if (min === 'link') expect(r.body, route).toMatchObject({ status: 401, detail: expect.stringContaining('approval link') });
      else {
        expect(r.status, route).toBe(401);
        expect(r.headers.get('content-type'), route).toMatch(/^application\/problem\+json/);
        expect(r.body, route).toMatchObject({ status: 401, code: 'unauthorized' });
      }
    }
    expect((await s.call('GET', '/no/such/route', { as: null })).status).toBe(401);
    expect((await s.call('GET', '/no/such/route')).status).toBe(404);
  });

  it.each(ROLES)('lets %s through exactly the routes its role allows (403 otherwise)', async (role) => {
    for (const [route, min] of Object.entries(MIN_ROLE)) {
      if (min === 'public' || min === 'link' || route === 'POST /auth/logout' || route.includes('/events')) continue;
      const [method, path] = route.split(' ') as [string, string];
      const r = await s.call(method, concrete(path), { as: role, ...(method === 'GET' ? {} : { body: {} }) });
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(min);
      if (allowed) expect([401, 403], `${role} ${route} → ${r.status}`).not.toContain(r.status);
      else expect(r.status, `${role} ${route}`).toBe(403);
      if (!allowed) expect(r.body.code).toBe('forbidden');
      expect(r.status, `${role} ${route}`).toBeLessThan(500);
    }
  });

  it('refuses malformed, unknown and revoked keys', async () => {
    expect((await s.call('GET', '/automation/workflows', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await s.call('GET', '/automation/workflows', { headers: { authorization: 'Bearer itw_not_a_key' } })).status).toBe(401);
    const created = await s.call('POST', '/automation/admin/api-keys', { body: { name: 'ci', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^itw_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'ci', role: 'viewer', revoked_at: null });
    const key = String(created.body.key);
    expect((await s.call('GET', '/auth/me', { headers: { authorization: `Bearer ${key}` } })).body).toMatchObject({ kind: 'api_key', role: 'viewer', name: 'ci' });
    const listed = await s.call('GET', '/automation/admin/api-keys');
    expect(listed.text).not.toContain(key);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: created.body.id, prefix: key.slice(0, 12) }));
    expect((await s.call('DELETE', `/automation/admin/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await s.call('GET', '/auth/me', { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect((await s.call('DELETE', '/automation/admin/api-keys/key_nope')).status).toBe(404);
  });
});

describe.each(DIALECTS)('login sessions ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect, { config: { loginMaxFailures: 3 } });
    const u = await s.call('POST', '/automation/admin/users', { body: { username: 'alice', password: 'correct horse', role: 'editor' } });
    expect(u.status).toBe(201);
    expect(u.body).toMatchObject({ username: 'alice', role: 'editor' });
    expect(u.text).not.toContain('correct horse');
  });
  afterAll(async () => s.close());

  const login = (password: string, username = 'alice') => s.call('POST', '/auth/login', { as: null, body: { username, password } });

  it('an admin changes a role (applied at the next request) and resets a password (every session ends); the last admin stays admin', async () => {
    const own = await startApiServer(dialect);
    try {
      const logIn = async (username: string, password: string) => {
        const r = await own.call('POST', '/auth/login', { as: null, body: { username, password } });
        return { status: r.status, cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]! };
      };
      const bob = await own.call('POST', '/automation/admin/users', { body: { username: 'bob', password: 'correct horse', role: 'viewer' } });
      const root = await own.call('POST', '/automation/admin/users', { body: { username: 'root', password: 'correct horse', role: 'admin' } });
      const session = await logIn('bob', 'correct horse');
      expect((await own.call('GET', '/auth/me', { as: null, headers: { cookie: session.cookie } })).body.role).toBe('viewer');

      const promoted = await own.call('PATCH', `/automation/admin/users/${String(bob.body.id)}`, { body: { role: 'editor' } });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ username: 'bob', role: 'editor', slack_user_id: null });
      expect((await own.call('GET', '/auth/me', { as: null, headers: { cookie: session.cookie } })).body.role).toBe('editor');

      const reset = await own.call('PATCH', `/automation/admin/users/${String(bob.body.id)}`, { body: { password: 'battery staple' } });
      expect(reset.status).toBe(200);
      expect(reset.text).not.toContain('battery staple');
      expect((await own.call('GET', '/auth/me', { as: null, headers: { cookie: session.cookie } })).status).toBe(401);
      expect((await logIn('bob', 'correct horse')).status).toBe(401);
      expect((await logIn('bob', 'battery staple')).status).toBe(200);

      const demote = await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { body: { role: 'operator' } });
      expect(demote.status).toBe(409);
      expect(demote.body.detail).toContain('last admin');
      // With a second admin, the first may step down.
      expect((await own.call('PATCH', `/automation/admin/users/${String(bob.body.id)}`, { body: { role: 'admin' } })).status).toBe(200);
      expect((await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { body: { role: 'operator' } })).body.role).toBe('operator');

      // Attackers and bad input: an operator may not, an empty or short change is a 400 naming the field, nothing changes.
      expect((await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { as: 'operator', body: { role: 'admin' } })).status).toBe(403);
      expect((await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { as: null, body: { role: 'admin' } })).status).toBe(401);
      expect((await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { body: {} })).status).toBe(400);
      const short = await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { body: { password: 'short' } });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ path: '/password' })]);
      expect((await own.call('PATCH', `/automation/admin/users/${String(root.body.id)}`, { body: { role: 'root' } })).status).toBe(400);
      expect((await logIn('root', 'correct horse')).status).toBe(200);
      expect((await own.call('PATCH', '/automation/admin/users/usr_nobody', { body: { role: 'viewer' } })).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('never deletes the last admin (409, naming why); another admin can be deleted', async () => {
    const own = await startApiServer(dialect);
    try {
      const users = async () => (await own.call('GET', '/automation/admin/users')).body.items as Array<{ id: string; role: string }>;
      const ids: string[] = [];
      for (const username of ['root', 'ops']) {
        const created = await own.call('POST', '/automation/admin/users', { body: { username, password: 'correct horse', role: 'admin' } });
        expect(created.status).toBe(201);
        ids.push(String(created.body.id));
      }
      expect((await own.call('DELETE', `/automation/admin/users/${ids[0]!}`)).status).toBe(204);
      const refused = await own.call('DELETE', `/automation/admin/users/${ids[1]!}`);
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.detail).toContain('last admin');
      expect((await users()).map((u) => u.id)).toEqual([ids[1]]);
      expect((await own.call('DELETE', '/automation/admin/users/usr_nobody')).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('logs in with an httpOnly SameSite=Strict cookie, needs the CSRF token for unsafe requests, logs out', async () => {
    const r = await login('correct horse');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'session', name: 'alice', role: 'editor' });
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^itw_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0]!;
    const csrf = String(r.body.csrf_token);

    const me = await s.call('GET', '/auth/me', { as: null, headers: { cookie } });
    expect(me.body).toMatchObject({ name: 'alice', csrf_token: csrf });
    expect((await s.call('GET', '/automation/workflows', { as: null, headers: { cookie } })).status).toBe(200);
    const noToken = await s.call('POST', '/automation/workflows', { as: null, headers: { cookie }, body: { name: 'x' } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.detail).toMatch(/csrf/i);
    const wrong = await s.call('POST', '/automation/workflows', { as: null, headers: { cookie, 'x-csrf-token': 'nope' }, body: { name: 'x' } });
    expect(wrong.status).toBe(403);
    const ok = await s.call('POST', '/automation/workflows', { as: null, headers: { cookie, 'x-csrf-token': csrf }, body: { name: 'x' } });
    expect(ok.status).toBe(201);
    expect((await s.call('POST', '/automation/admin/api-keys', { as: null, headers: { cookie, 'x-csrf-token': csrf }, body: { name: 'k', role: 'admin' } })).status).toBe(403);

    expect((await s.call('POST', '/auth/logout', { as: null, headers: { cookie } })).status).toBe(403);
    const out = await s.call('POST', '/auth/logout', { as: null, headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/itw_session=;/);
    expect((await s.call('GET', '/auth/me', { as: null, headers: { cookie } })).status).toBe(401);
  });

  it('answers 401 to a wrong password and 429 after too many failures per username and IP', async () => {
    const wrong = await login('wrong password', 'bob');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'unauthorized' });
    await login('wrong password', 'bob');
    await login('wrong password', 'bob');
    const limited = await login('wrong password', 'bob');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another username from the same address is not affected.
    expect((await login('correct horse')).status).toBe(200);
  });

  it('rejects a duplicate username (409) and a short password (400)', async () => {
    expect((await s.call('POST', '/automation/admin/users', { body: { username: 'alice', password: 'another one', role: 'viewer' } })).status).toBe(409);
    const short = await s.call('POST', '/automation/admin/users', { body: { username: 'carol', password: 'short', role: 'viewer' } });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([expect.objectContaining({ path: '/password' })]);
    const list = await s.call('GET', '/automation/admin/users');
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['alice']);
    expect(list.text).not.toMatch(/argon2|password/);
  });

  it('creates the first admin key in <data-dir>/admin-api-key, readable by the owner only, once', async () => {
    const fresh = await startApiServer(dialect);
    try {
      // The test server pre-creates keys; empty the tables to see a first start.
      await fresh.app.store.db.deleteFrom('api_keys').execute();
      const file = await bootstrapAdminKey(fresh.app.repos, fresh.config.dataDir);
      expect(file).toBe(join(fresh.config.dataDir, 'admin-api-key'));
      expect(statSync(file!).mode & 0o777).toBe(0o600);
      const key = readFileSync(file!, 'utf8').trim();
      expect((await fresh.call('GET', '/auth/me', { headers: { authorization: `Bearer ${key}` } })).body.role).toBe('admin');
      expect(await bootstrapAdminKey(fresh.app.repos, fresh.config.dataDir)).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
