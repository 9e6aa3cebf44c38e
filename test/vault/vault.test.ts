import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

const SECRET = 'tok-9f8e7d6c5b4a-super-secret';

describe.each(DIALECTS)('credentials vault on $name', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    // Echoes the Authorization header back, as a careless API might: the secret reaches an output.
    server = await httpFixture((req, res) => json(res, req.headers.authorization === `Bearer ${SECRET}` ? 200 : 401, { auth: req.headers.authorization }));
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('stores typed credentials write-only: summaries show public fields and which secrets are set, never their values', async () => {
    const c = await h.app.vault.create({ name: `jira-${dialect.name}`, type: 'jira', data: { base_url: 'https://jira.example', email: 'ops@example.com', api_token: SECRET } });
    expect(c).toMatchObject({ type: 'jira', fields: { base_url: 'https://jira.example', email: 'ops@example.com' }, secret_fields_set: ['api_token'] });
    expect(JSON.stringify(await h.app.vault.list())).not.toContain(SECRET);
    const renamed = await h.app.vault.update(c.id, { name: `jira2-${dialect.name}`, data: { email: 'sre@example.com' } });
    expect(renamed.fields['email']).toBe('sre@example.com');
    expect((await h.app.vault.get(c.id)).data['api_token']).toBe(SECRET); // kept across the update
    await expect(h.app.vault.create({ name: 'bad', type: 'jira', data: { email: 'x' } })).rejects.toMatchObject({ code: 'validation', details: { errors: [{ path: '/data/base_url' }] } });
    await expect(h.app.vault.create({ name: 'bad', type: 'nope', data: {} })).rejects.toMatchObject({ code: 'validation' });
    await expect(h.app.vault.get(c.id, ['slack'])).rejects.toMatchObject({ code: 'credential_type' });
    await h.app.vault.delete(c.id);
    await expect(h.app.vault.get(c.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a step resolves a credential by id; the secret never lands in the database, logs or records', async () => {
    const cred = await h.app.vault.create({ name: `api-${dialect.name}`, type: 'http_bearer', data: { token: SECRET }, allowed_hosts: ['127.0.0.1'] });
    const r = await h.run(wf(
      [n('call', 'api_call', { url: `${server.url}/whoami`, credential_id: cred.id }), transform('copy', '$input.body.auth'),
        n('say', 'action', { action_type: 'log', message: 'got {{ $input }}' })],
      [e('call', 'copy'), e('copy', 'say')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(r.node('copy').output).toBe('Bearer [redacted]');
    expect(JSON.stringify(r.runs)).not.toContain(SECRET);
    expect(JSON.stringify(await h.app.store.engine.listLogs(r.execution.id))).not.toContain(SECRET);
    // Everything stored, read back raw: no table holds the secret, not even the vault's own.
    const tables = ['executions', 'node_executions', 'execution_logs', 'credentials'] as const;
    for (const t of tables) {
      const rows = await h.app.store.db.selectFrom(t).selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(SECRET);
    }
    if (dialect.name === 'sqlite') {
      await h.app.store.close(); // checkpoints the WAL into the file
      h = await openHarness(dialect, { dataDir: h.dataDir });
      for (const f of readdirSync(h.dataDir).filter((x) => x.startsWith('itw.sqlite'))) {
        expect(readFileSync(join(h.dataDir, f)).includes(Buffer.from(SECRET))).toBe(false);
      }
    }
  });

  it('a failing step with the secret in its error stores it redacted', async () => {
    const cred = await h.app.vault.create({ name: `hdr-${dialect.name}`, type: 'http_header', data: { name: 'X-Api-Key', value: `${SECRET}-2` }, allowed_hosts: ['127.0.0.1'] });
    const r = await h.run(wf([n('call', 'api_call', { url: `${server.url}/x`, credential_id: cred.id }), transform('t', '1')], [e('call', 't')]));
    expect(r.execution.status).toBe('failed');
    expect(JSON.stringify(r.execution)).not.toContain(SECRET);
  });
});
