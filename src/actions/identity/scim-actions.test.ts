import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpFixture, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { scimCreateUserAction } from './scim-create-user-action.js';
import { scimDeactivateUserAction } from './scim-deactivate-user-action.js';

const TOKEN = 'scim-bearer-token-7d1e2f3a4b5c';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
type User = Record<string, unknown> & { id: string; userName: string; active: boolean };

function scim(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
const scimErr = (res: ServerResponse, status: number, detail: string, scimType?: string, headers?: Record<string, string>) =>
  scim(res, status, { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail }, headers);

let users: Map<string, User>;
let nextId = 1;
let base: string;

/** A SCIM 2.0 service provider at /scim/v2 (RFC 7644): Users create, filter by userName eq, PatchOp replace. */
function provider(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return scimErr(res, 401, 'Authorization failure. The authorization header is invalid or missing.');
  const url = new URL(req.url, 'http://scim');
  if (!url.pathname.startsWith('/scim/v2/Users')) return scimErr(res, 404, 'Resource not found');
  const body = req.body === '' ? undefined : (JSON.parse(req.body) as Record<string, unknown>);
  if (body !== undefined && !req.headers['content-type']?.startsWith('application/scim+json')) return scimErr(res, 415, 'Content-Type must be application/scim+json');
  if (req.method === 'POST' && url.pathname === '/scim/v2/Users') {
    if (!Array.isArray(body?.['schemas']) || !(body['schemas'] as unknown[]).includes(USER)) return scimErr(res, 400, 'schemas must include the User schema', 'invalidValue');
    if (typeof body['userName'] !== 'string') return scimErr(res, 400, 'userName is required', 'invalidValue');
    if (body['userName'] === 'overloaded@example.com') return scimErr(res, 503, 'Service temporarily unavailable', undefined, { 'retry-after': '20' });
    if ([...users.values()].some((u) => u.userName.toLowerCase() === String(body['userName']).toLowerCase())) {
      return scimErr(res, 409, 'One or more of the attribute values are already in use or are reserved.', 'uniqueness');
    }
    const id = `2819c223-7f76-453a-919d-${String(nextId++).padStart(12, '0')}`;
    const location = `${base}/scim/v2/Users/${id}`;
    const user = { ...body, id, meta: { resourceType: 'User', created: '2026-12-05T10:00:00Z', location } } as unknown as User;
    users.set(id, user);
    return scim(res, 201, user, { location });
  }
  if (req.method === 'GET' && url.pathname === '/scim/v2/Users') {
    const filter = url.searchParams.get('filter') ?? '';
    const m = /^userName eq ("(?:[^"\\]|\\.)*")$/.exec(filter);
    if (!m) return scimErr(res, 400, `Invalid filter: ${filter}`, 'invalidFilter');
    const wanted = JSON.parse(m[1]!) as string;
    const found = [...users.values()].filter((u) => u.userName.toLowerCase() === wanted.toLowerCase());
    return scim(res, 200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: found.length, startIndex: 1, itemsPerPage: found.length, Resources: found });
  }
  const one = /^\/scim\/v2\/Users\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'PATCH' && one) {
    const user = users.get(decodeURIComponent(one[1]!));
    if (!user) return scimErr(res, 404, `Resource ${one[1]} not found`);
    const ops = body?.['Operations'];
    if (!Array.isArray(body?.['schemas']) || !(body['schemas'] as unknown[]).includes('urn:ietf:params:scim:api:messages:2.0:PatchOp') || !Array.isArray(ops)) {
      return scimErr(res, 400, 'Request is unparsable, syntactically incorrect, or violates schema.', 'invalidSyntax');
    }
    for (const op of ops as Array<{ op: string; path?: string; value: Record<string, unknown> }>) {
      if (op.op.toLowerCase() !== 'replace' || op.path !== undefined) return scimErr(res, 400, 'unsupported operation', 'invalidSyntax');
      Object.assign(user, op.value);
    }
    return user.userName === 'nocontent@example.com' ? scim(res, 204) : scim(res, 200, user);
  }
  scimErr(res, 405, 'Method not allowed');
}

let server: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  server = await httpFixture(provider);
  base = server.url;
  creds = [
    { id: 'scim', type: 'scim', data: { base_url: `${server.url}/scim/v2/`, token: TOKEN } },
    { id: 'bad-token', type: 'scim', data: { base_url: `${server.url}/scim/v2`, token: 'scim-wrong-token-000000' } },
  ];
});
beforeEach(() => {
  users = new Map();
});
afterAll(() => server.close());

const ctxOf = <P>(params: P, services = testServices()) => testContext(params, creds, services);

describe('scim_create_user', () => {
  it('POSTs an RFC 7644 User with application/scim+json and returns its id and location', async () => {
    const out = await scimCreateUserAction.run(ctxOf({
      credential_id: 'scim', user_name: 'bjensen@example.com', given_name: 'Barbara', family_name: 'Jensen', display_name: 'Babs Jensen',
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@home.example', type: 'home' }], external_id: 'hr-7001',
    }).ctx);
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/scim/v2/Users' });
    expect(req.headers['content-type']).toBe('application/scim+json');
    expect(req.headers.accept).toContain('application/scim+json');
    expect(JSON.parse(req.body)).toEqual({
      schemas: [USER], userName: 'bjensen@example.com', name: { givenName: 'Barbara', familyName: 'Jensen' }, displayName: 'Babs Jensen',
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@home.example', type: 'home', primary: false }],
      active: true, externalId: 'hr-7001',
    });
    expect(out).toEqual({ id: expect.stringMatching(/^2819c223-/), user_name: 'bjensen@example.com', active: true, created: true, external_id: 'hr-7001', location: `${server.url}/scim/v2/Users/${out.id}` });
  });

  it('fails with the uniqueness error when the userName is taken', async () => {
    await scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'taken@example.com' }).ctx);
    await expect(scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'TAKEN@example.com' }).ctx)).rejects.toMatchObject({
      code: 'scim_uniqueness', retryable: false, message: 'SCIM service answered HTTP 409: One or more of the attribute values are already in use or are reserved.',
    });
  });

  it('with if_exists: return, looks the user up by a userName eq filter and returns it', async () => {
    const first = await scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'o"brien\\x@example.com' }).ctx);
    const again = await scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'o"brien\\x@example.com', if_exists: 'return' as const }).ctx);
    expect(again).toMatchObject({ id: first.id, created: false, active: true });
    const lookup = server.requests.at(-1)!;
    expect(lookup.method).toBe('GET');
    expect(new URL(lookup.url, 'http://x').searchParams.get('filter')).toBe('userName eq "o\\"brien\\\\x@example.com"');
  });

  it.each([
    ['overloaded@example.com', 'scim_unavailable', true],
  ])('maps %s to %s (retryable: %s), with Retry-After', async (userName, code, retryable) => {
    await expect(scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: userName }).ctx)).rejects.toMatchObject({ code, retryable, retryAfterMs: 20_000 });
  });

  it('a wrong token fails as auth, the token in no error or log line', async () => {
    const { ctx, lines } = ctxOf({ credential_id: 'bad-token', user_name: 'x@example.com' });
    const err = await scimCreateUserAction.run(ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'scim_auth', retryable: false });
    expect(JSON.stringify(err) + String(err) + JSON.stringify(lines)).not.toContain('scim-wrong-token');
  });
});

describe('scim_deactivate_user', () => {
  it('PATCHes active:false with a PatchOp, by id', async () => {
    const made = await scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'leaver@example.com' }).ctx);
    const out = await scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim', id: made.id }).ctx);
    expect(out).toEqual({ id: made.id, user_name: 'leaver@example.com', active: false });
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'PATCH', url: `/scim/v2/Users/${made.id}` });
    expect(req.headers['content-type']).toBe('application/scim+json');
    expect(JSON.parse(req.body)).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(users.get(made.id)?.active).toBe(false);
  });

  it('finds the id by userName first, and accepts a 204 answer', async () => {
    const made = await scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'nocontent@example.com' }).ctx);
    const out = await scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'nocontent@example.com' }).ctx);
    expect(out).toEqual({ id: made.id, user_name: 'nocontent@example.com', active: false });
    expect(server.requests.slice(-2).map((r) => r.method)).toEqual(['GET', 'PATCH']);
  });

  it('fails clearly for an unknown userName or id, sending no PATCH', async () => {
    await expect(scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'ghost@example.com' }).ctx)).rejects.toMatchObject({
      code: 'scim_not_found', message: 'SCIM service has no user with userName "ghost@example.com"',
    });
    expect(server.requests.at(-1)!.method).toBe('GET');
    await expect(scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim', id: '../Groups/admins' }).ctx)).rejects.toMatchObject({ code: 'scim_not_found', retryable: false });
    expect(server.requests.at(-1)!.url).toBe('/scim/v2/Users/..%2FGroups%2Fadmins');
  });

  it('needs exactly one of id and user_name', async () => {
    await expect(scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim' }).ctx)).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/id' } });
    await expect(scimDeactivateUserAction.run(ctxOf({ credential_id: 'scim', id: 'a', user_name: 'b' }).ctx)).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('scim egress and params', () => {
  it('is refused by the egress guard and by the credential binding, sending nothing', async () => {
    const before = server.requests.length;
    const strict = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(scimCreateUserAction.run(ctxOf({ credential_id: 'scim', user_name: 'a@example.com' }, strict).ctx)).rejects.toMatchObject({ code: 'egress_denied' });
    const pinned = testContext({ credential_id: 'p', id: 'x' }, [{ id: 'p', type: 'scim', data: { base_url: `${server.url}/scim/v2`, token: TOKEN }, allowed_hosts: ['idp.example.com'] }]);
    await expect(scimDeactivateUserAction.run(pinned.ctx)).rejects.toMatchObject({ code: 'credential_host_denied' });
    expect(server.requests).toHaveLength(before);
  });

  it.each([
    [{ user_name: '' }, '/user_name'],
    [{ user_name: 'a', emails: [{ value: 'not an email' }] }, '/emails/0/value'],
    [{ user_name: 'a', if_exists: 'update' }, '/if_exists'],
    [{ user_name: 'a', password: 'x' }, '/password'],
  ])('scim_create_user rejects %j at %s', (params, path) => {
    expect([...Value.Errors(scimCreateUserAction.params, { credential_id: 'scim', ...params })].map((e) => e.path)).toContain(path);
  });

  it('plans without the token', () => {
    expect(scimCreateUserAction.plan?.(testContext({ credential_id: 'scim', user_name: 'a@example.com', if_exists: 'return' as const }).ctx)).toBe('create SCIM user a@example.com, or return the existing one');
    expect(scimDeactivateUserAction.plan?.(testContext({ credential_id: 'scim', user_name: 'a@example.com' }).ctx)).toBe('deactivate SCIM user a@example.com');
  });
});
