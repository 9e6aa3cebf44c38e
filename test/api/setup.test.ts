import { afterEach, describe, expect, it } from 'vitest';
import { SetupToken } from '../../src/api/auth/setup-token.js';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, type ApiServer } from './api-server.js';

const dialect = DIALECTS[0]!;

describe('first-run setup: the one-time admin setup behind the console token', () => {
  let s: ApiServer | undefined;
  afterEach(async () => s?.close());

  const setup = (body: object, headers: Record<string, string> = {}) => s!.call('POST', '/auth/setup', { body, as: null, headers });

  it('tells anonymous visitors setup is needed, makes the first admin with the token, and logs them in', async () => {
    const token = new SetupToken();
    s = await startApiServer(dialect, { server: { setupToken: token } });
    expect((await s.call('GET', '/auth/setup', { as: null })).body).toEqual({ needed: true });
    const r = await setup({ token: token.value, username: 'first', password: 'a-long-password' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'session', name: 'first', role: 'admin', csrf_token: expect.any(String) });
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/itw_session=[^;]+;.*HttpOnly/i);
    const me = await s.call('GET', '/auth/me', { as: null, headers: { cookie: cookie.split(';')[0]! } });
    expect(me.body).toMatchObject({ kind: 'session', name: 'first', role: 'admin' });
    expect((await s.call('GET', '/auth/setup', { as: null })).body).toEqual({ needed: false });
  });

  it('attackers: no token or a wrong one is 403, a spent token stays spent, and once a user exists it is 409', async () => {
    const token = new SetupToken();
    s = await startApiServer(dialect, { server: { setupToken: token } });
    expect((await setup({ username: 'evil', password: 'a-long-password' })).status).toBe(400);
    const wrong = await setup({ token: `${token.value}x`, username: 'evil', password: 'a-long-password' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A refused body (short password, extra field) does not spend the token.
    expect((await setup({ token: token.value, username: 'admin', password: 'short' })).status).toBe(400);
    expect((await setup({ token: token.value, username: 'admin', password: 'a-long-password', role: 'viewer' })).status).toBe(400);
    expect((await setup({ token: token.value, username: 'admin', password: 'a-long-password' })).status).toBe(201);
    // After a user exists, even the right token gets 409 and no second admin.
    const again = await setup({ token: token.value, username: 'second', password: 'a-long-password' });
    expect(again.status).toBe(409);
    // With the users gone again (the API never deletes the last admin: straight from the store), the spent token still opens nothing.
    await s.app.store.db.deleteFrom('users').execute();
    expect((await s.call('GET', '/auth/setup', { as: null })).body).toEqual({ needed: true });
    expect((await setup({ token: token.value, username: 'reuse', password: 'a-long-password' })).status).toBe(403);
  });

  it('a server started without a token (embedded, tests) refuses setup: users come from `itw user create`', async () => {
    s = await startApiServer(dialect);
    expect((await s.call('GET', '/auth/setup', { as: null })).body).toEqual({ needed: true });
    expect((await setup({ token: 'anything', username: 'admin', password: 'a-long-password' })).status).toBe(403);
  });

  it('guessing is throttled like logins', async () => {
    const token = new SetupToken();
    s = await startApiServer(dialect, { server: { setupToken: token }, config: { loginMaxFailures: 3 } });
    for (let i = 0; i < 3; i++) expect((await setup({ token: `guess-${i}`, username: 'admin', password: 'a-long-password' })).status).toBe(403);
    expect((await setup({ token: 'guess-4', username: 'admin', password: 'a-long-password' })).status).toBe(429);
  });
});
