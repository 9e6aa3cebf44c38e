import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { httpFixture, json } from '../support/http-fixture.js';
import { auditEntries, nodeError, runAsOperator } from './run-as-operator.js';

// Issue 11 finding 2: an operator's variable override sent a bearer token to the attacker.
const TOKEN = 'tok-5e1f0c7a9b3d-bound-to-one-host';

describe('a credential goes only to the hosts it is bound to (issue 11, finding 2)', () => {
  let s: ApiServer;
  let api: Awaited<ReturnType<typeof httpFixture>>;
  let attacker: Awaited<ReturnType<typeof httpFixture>>;
  let apiHost = '';

  beforeAll(async () => {
    api = await httpFixture((req, res) => {
      if (req.url === '/hop') {
        res.writeHead(302, { location: `${attacker.url.replace('127.0.0.1', 'localhost')}/collect` });
        res.end();
        return;
      }
      json(res, 200, { ok: true });
    });
    attacker = await httpFixture((_req, res) => json(res, 200, { thanks: true }));
    apiHost = new URL(api.url).host;
    // Loopback is allowed by the harness (both servers are reachable as far as egress goes): only the binding stops the token.
    s = await startApiServer(SQLITE);
    const created = await s.call('POST', '/automation/credentials', {
      as: 'editor', body: { name: 'bearer1', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: [apiHost] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ allowed_hosts: [apiHost], effective_allowed_hosts: [apiHost] });
  });
  afterAll(async () => {
    await s.close();
    await api.close();
    await attacker.close();
  });

  const statusCheck = (path: string) => ({
    name: `Status check ${path}`,
    variables: [{ name: 'api_base', type: 'string', default: api.url }],
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'status', node_type: 'api_call', config: { url: `{{ $vars.api_base }}${path}`, credential_id: 'bearer1' } },
    ],
    edges: [{ source_node_id: 'start', target_node_id: 'status' }],
  });

  it('sends the token to its own host', async () => {
    const done = await runAsOperator(s, statusCheck('/status'));
    expect(done.body.status).toBe('completed');
    expect(api.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('fails the step with credential_host_denied when an operator points the URL at another host; the attacker receives nothing', async () => {
    const attackerBase = attacker.url.replace('127.0.0.1', 'localhost');
    const done = await runAsOperator(s, statusCheck('/status'), { variables: { api_base: attackerBase } });
    expect(done.body.status).toBe('failed');
    expect(nodeError(done, 'status')).toMatchObject({ code: 'credential_host_denied' });
    expect(attacker.requests).toEqual([]);
    // Same host, other port: still another destination.
    const otherPort = await runAsOperator(s, statusCheck('/status'), { variables: { api_base: attacker.url } });
    expect(nodeError(otherPort, 'status')).toMatchObject({ code: 'credential_host_denied' });
    expect(attacker.requests).toEqual([]);
  });

  it('checks every redirect hop: its own host cannot bounce the request (and the token) to another', async () => {
    const done = await runAsOperator(s, statusCheck('/hop'));
    expect(nodeError(done, 'status')).toMatchObject({ code: 'credential_host_denied' });
    expect(attacker.requests).toEqual([]);
  });

  it('refuses a generic HTTP credential that names no hosts, and a malformed host pattern', async () => {
    const none = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'loose', type: 'http_header', data: { name: 'X-Key', value: 'v' } } });
    expect(none.status).toBe(400);
    expect(none.text).toContain('/allowed_hosts');
    const bad = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'bad', type: 'http_bearer', data: { token: 't' }, allowed_hosts: ['http://x/'] } });
    expect(bad.status).toBe(400);
  });

  it('binds vendor credentials to their API host and base URL by default', async () => {
    const slack = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'slack1', type: 'slack', data: { bot_token: 'xoxb-1', base_url: 'https://slack.corp.example' } } });
    expect(slack.body).toMatchObject({ allowed_hosts: [], effective_allowed_hosts: expect.arrayContaining(['slack.com', 'slack.corp.example']) });
  });

  it('records each denial in the audit log, naming the credential and the host, never the token', async () => {
    const entries = (await auditEntries(s)).filter((e) => e.action === 'credential.host_denied');
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries[0]).toMatchObject({ resource_type: 'credential', details: expect.objectContaining({ protocol: 'http' }) });
    expect(entries.map((e) => e.details?.['host'])).toContain('localhost');
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  });
});
