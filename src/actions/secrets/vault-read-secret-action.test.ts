import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { vaultReadSecretAction } from './vault-read-secret-action.js';

type Params = Parameters<typeof vaultReadSecretAction.run>[0]['params'];

const TOKEN = 'hvs.CAESIgoodVaultToken0123456789';
const DB_PASSWORD = 'Db-Password-9f3c1e77';
const SECRETS: Record<string, { versions: Record<number, Record<string, unknown>> }> = {
  'apps/payments/db': { versions: { 1: { username: 'payments', password: 'old-Password-0001' }, 2: { username: 'payments', password: DB_PASSWORD, port: 5432, tls: { mode: 'verify-full' } } } },
};

/** A Vault KV v2 mount at `secret/`, namespace `ops`, as Vault answers (errors as {"errors": [...]}). */
function vault(req: Recorded, res: Parameters<Parameters<typeof httpFixture>[0]>[1]): void {
  if (req.method !== 'GET') return json(res, 405, { errors: [] });
  if (req.headers['x-vault-token'] === undefined) return json(res, 400, { errors: ['missing client token'] });
  if (req.headers['x-vault-token'] !== TOKEN) return json(res, 403, { errors: ['permission denied'] });
  const url = new URL(req.url, 'http://vault');
  if (url.pathname === '/v1/sys/sealed/data/x') return json(res, 503, { errors: ['Vault is sealed'] });
  const prefix = req.headers['x-vault-namespace'] === 'ops' ? '/v1/secret/data/' : '/v1/none/';
  if (!url.pathname.startsWith(prefix)) return json(res, 404, { errors: [] });
  const path = decodeURIComponent(url.pathname.slice(prefix.length));
  const entry = SECRETS[path];
  if (entry === undefined) return json(res, 404, { errors: [] });
  const version = Number(url.searchParams.get('version') ?? '2');
  if (version === 3) {
    return json(res, 404, { data: { data: null, metadata: { created_time: '2026-01-03T00:00:00Z', deletion_time: '2026-02-01T00:00:00Z', destroyed: false, version: 3 } } });
  }
  const data = entry.versions[version];
  if (data === undefined) return json(res, 404, { errors: [] });
  json(res, 200, { request_id: 'r1', lease_id: '', renewable: false, lease_duration: 0, data: { data, metadata: { created_time: `2026-01-0${version}T00:00:00Z`, custom_metadata: null, deletion_time: '', destroyed: false, version } }, wrap_info: null, warnings: null, auth: null });
}

let server: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  server = await httpFixture(vault);
  creds = [
    { id: 'vault', type: 'vault', data: { address: `${server.url}/`, token: TOKEN, namespace: 'ops' } },
    { id: 'revoked', type: 'vault', data: { address: server.url, token: 'hvs.revokedToken00000000', namespace: 'ops' } },
    { id: 'slack', type: 'slack', data: { bot_token: 'xoxb-1' } },
  ];
});
afterAll(() => server.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { result: vaultReadSecretAction.run(ctx), lines };
}

describe('vault_read_secret against a Vault KV v2 API', () => {
  it('reads the latest version with the token and namespace headers, values as strings', async () => {
    const { result, lines } = run({ credential_id: 'vault', path: 'apps/payments/db' });
    const out = await result;
    expect(out).toEqual({
      data: { username: 'payments', password: DB_PASSWORD, port: '5432', tls: '{"mode":"verify-full"}' },
      version: 2,
      created_time: '2026-01-02T00:00:00Z',
    });
    const req = server.requests.at(-1)!;
    expect(req.url).toBe('/v1/secret/data/apps/payments/db');
    expect(req.headers['x-vault-token']).toBe(TOKEN);
    expect(req.headers['x-vault-namespace']).toBe('ops');
    expect(JSON.stringify(lines)).not.toContain(DB_PASSWORD);
    expect(lines.at(-1)?.message).toBe('read 4 key(s) of secret/apps/payments/db');
  });

  it('reads a given version and only the keys asked for', async () => {
    const out = await run({ credential_id: 'vault', path: 'apps/payments/db', version: 1, keys: ['password'] }).result;
    expect(out).toEqual({ data: { password: 'old-Password-0001' }, version: 1, created_time: '2026-01-01T00:00:00Z' });
    expect(server.requests.at(-1)!.url).toBe('/v1/secret/data/apps/payments/db?version=1');
  });

  it('declares every value secret, and the strings inside JSON values too', async () => {
    const out = await run({ credential_id: 'vault', path: 'apps/payments/db' }).result;
    expect(vaultReadSecretAction.secretOutput?.(out)).toEqual(expect.arrayContaining([DB_PASSWORD, 'payments', '5432', '{"mode":"verify-full"}', 'verify-full']));
  });

  it('fails clearly on a key the secret does not have', async () => {
    await expect(run({ credential_id: 'vault', path: 'apps/payments/db', keys: ['api_key'] }).result).rejects.toMatchObject({
      code: 'invalid_params', message: 'action "vault_read_secret" param /keys: the secret has no key api_key', details: { path: '/keys' },
    });
  });

  it.each([
    [{ credential_id: 'revoked', path: 'apps/payments/db' }, 'vault_auth', 'Vault answered HTTP 403: permission denied', false],
    [{ credential_id: 'vault', path: 'apps/missing' }, 'vault_not_found', 'Vault answered HTTP 404: no secret at this path (or no KV v2 mount by this name)', false],
    [{ credential_id: 'vault', path: 'apps/payments/db', version: 3 }, 'vault_not_found', 'Vault answered HTTP 404: this version was deleted at 2026-02-01T00:00:00Z', false],
    [{ credential_id: 'vault', mount: 'sys/sealed', path: 'x' }, 'vault_unavailable', 'Vault answered HTTP 503: Vault is sealed', true],
  ] as Array<[Params, string, string, boolean]>)('maps Vault errors: %j → %s', async (params, code, message, retryable) => {
    const err = await run(params).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code, message, retryable });
    expect(JSON.stringify(err)).not.toContain('hvs.');
  });

  it('is refused by the egress guard for a host not allowed, and sends nothing', async () => {
    const before = server.requests.length;
    const strict = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'vault', path: 'apps/payments/db' }, strict).result).rejects.toMatchObject({ code: 'egress_denied', retryable: false });
    expect(server.requests).toHaveLength(before);
  });

  it('refuses a credential of another type', async () => {
    await expect(run({ credential_id: 'slack', path: 'a' }).result).rejects.toMatchObject({ code: 'credential_type' });
  });
});

describe('vault_read_secret params', () => {
  it.each([
    [{ path: '../sys/raw' }, '/path'],
    [{ path: 'apps/./db' }, '/path'],
    [{ path: '/apps/db' }, '/path'],
    [{ path: 'apps//db' }, '/path'],
    [{ path: 'apps/db?list=true' }, '/path'],
    [{ path: 'a', mount: 'secret/..' }, '/mount'],
    [{ path: 'a', version: 0 }, '/version'],
    [{ path: 'a', keys: [] }, '/keys'],
    [{ path: 'a', token: 'x' }, '/token'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(vaultReadSecretAction.params, { credential_id: 'vault', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('accepts nested paths and plans without secrets', () => {
    expect(Value.Check(vaultReadSecretAction.params, { credential_id: 'vault', path: 'apps/payments/db-1.prod' })).toBe(true);
    expect(vaultReadSecretAction.plan?.(testContext({ credential_id: 'vault', path: 'apps/db', version: 2, keys: ['password'] }).ctx)).toBe('read Vault secret secret/apps/db version 2 (keys password)');
  });
});
