import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer } from './api-server.js';

const webhook = (path: string, auth: object) => ({
  name: `Hook ${path}`,
  nodes: [
    { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path, auth } },
    { id: 'echo', node_type: 'transform', config: { expression: '$input' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'echo' }],
});

describe.each(DIALECTS)('activation preflight ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect, { templatesDir: join(import.meta.dirname, '../../templates'), config: { restartAllowedServices: ['web'] } });
  });
  afterAll(async () => s.close());

  const create = async (body: object) => {
    const r = await s.call('POST', '/automation/workflows', { body });
    expect(r.status).toBe(201);
    return r.body as { id: string; status: string };
  };
  const status = async (id: string) => (await s.call('GET', `/automation/workflows/${id}`)).body.status as string;

  it('saving a draft or an active workflow never changes its status; only activate does', async () => {
    const wf = await create(LINEAR);
    expect((await s.call('PUT', `/automation/workflows/${wf.id}`, { body: { name: 'Linear saved' } })).body.status).toBe('draft');
    expect((await s.call('POST', `/automation/workflows/${wf.id}/activate`)).status).toBe(200);
    expect((await s.call('PUT', `/automation/workflows/${wf.id}`, { body: { description: 'edited after activation' } })).body).toMatchObject({ status: 'active', active_version: 1 });
  });

  it('refuses a webhook whose auth.mode is not a mode, naming the field and the allowed values, and leaves it a draft', async () => {
    const wf = await create(webhook(`bad-mode-${dialect.name}`, { mode: 'bearer', token: 't0ken' }));
    const r = await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('preflight_failed');
    expect(r.body.errors).toEqual([expect.objectContaining({ code: 'trigger_config_invalid', path: '/nodes/0/config/auth/mode', node_id: 'hook' })]);
    expect(r.body.errors[0].message).toMatch(/^auth\.mode must be one of .*"none".*"header".*"hmac"/);
    expect(await status(wf.id)).toBe('draft');
    expect((await s.call('GET', `/automation/workflows/${wf.id}/triggers`)).body.items ?? []).toEqual([]);
  });

  it('lists every blocking problem of a template-made workflow at once: missing credential, service not allowed', async () => {
    const made = await s.call('POST', '/automation/templates/tpl_server_health_check/use', { body: { name: `Health ${dialect.name}` } });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    // The template's service (nginx) is not in ITW_RESTART_ALLOWED_SERVICES (web) and slack-ops does not exist.
    const r = await s.call('POST', `/automation/workflows/${id}/activate`);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'credential_missing', credential_id: 'slack-ops', credential_type: 'slack', node_id: 'alert_team', path: expect.stringMatching(/\/config\/credential_id$/) }),
      expect.objectContaining({ code: 'service_not_allowed', setting: 'ITW_RESTART_ALLOWED_SERVICES', node_id: 'restart' }),
    ]));
    expect(r.body.errors).toHaveLength(2);
    expect(await status(id)).toBe('draft');

    // Fix both: the preflight is clean and activation goes through.
    expect((await s.call('POST', '/automation/credentials', { body: { name: 'slack-ops', type: 'slack', data: { bot_token: 'xoxb-1' } } })).status).toBe(201);
    const def = (await s.call('GET', `/automation/workflows/${id}`)).body;
    const variables = def.variables.map((v: { name: string }) => (v.name === 'service_name' ? { ...v, default: 'web' } : v));
    expect((await s.call('PUT', `/automation/workflows/${id}`, { body: { variables } })).body.status).toBe('draft');
    const pre = await s.call('GET', `/automation/workflows/${id}/preflight`, { as: 'viewer' });
    expect(pre.status).toBe(200);
    expect(pre.body).toEqual({ problems: [], warnings: expect.any(Array) });
    const act = await s.call('POST', `/automation/workflows/${id}/activate`);
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ status: 'active', warnings: expect.any(Array) });
  });

  it('names a credential of the wrong type and the types that fit', async () => {
    const cred = await s.call('POST', '/automation/credentials', { body: { name: `db-${dialect.name}`, type: 'database', data: { url: 'sqlite::memory:' } } });
    expect(cred.status).toBe(201);
    const wf = await create({
      name: 'Wrong type',
      nodes: [{ id: 'call', node_type: 'api_call', config: { method: 'GET', url: 'http://127.0.0.1:1/x', credential_id: cred.body.id } }],
      edges: [],
    });
    const pre = await s.call('GET', `/automation/workflows/${wf.id}/preflight`);
    expect(pre.body.problems).toEqual([{
      code: 'credential_type_mismatch', message: expect.stringMatching(/is of type database; this step needs http_bearer or http_basic or http_header/),
      path: '/nodes/0/config/credential_id', node_id: 'call', credential_id: cred.body.id, credential_type: 'http_bearer, http_basic, http_header',
    }]);
  });

  it('refuses a webhook path another active workflow holds, and the same path twice in one workflow', async () => {
    const path = `taken-${dialect.name}`;
    const first = await create(webhook(path, { mode: 'header', token: 'a-token' }));
    expect((await s.call('POST', `/automation/workflows/${first.id}/activate`)).status).toBe(200);
    const second = await create(webhook(path, { mode: 'header', token: 'b-token' }));
    const r = await s.call('POST', `/automation/workflows/${second.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ code: 'webhook_path_taken', node_id: 'hook', path: '/nodes/0/config/path' })]);
    expect(r.body.errors[0].message).toContain(first.id);

    const twice = await create({
      name: 'Twice',
      nodes: [
        { id: 'h1', node_type: 'trigger', config: { trigger_type: 'webhook', path: `twice-${dialect.name}`, auth: { mode: 'none' } } },
        { id: 'h2', node_type: 'trigger', config: { trigger_type: 'webhook', path: `twice-${dialect.name}`, auth: { mode: 'none' } } },
      ],
      edges: [],
    });
    const t = await s.call('GET', `/automation/workflows/${twice.id}/preflight`);
    expect(t.body.problems).toEqual([expect.objectContaining({ code: 'webhook_path_taken', node_id: 'h2', message: expect.stringContaining('node h1 of this workflow') })]);
  });

  it('activates a schedule that fires within a minute, with a warning in the 200 body', async () => {
    const wf = await create({
      name: 'Soon',
      nodes: [{ id: 'tick', node_type: 'trigger', config: { trigger_type: 'schedule', interval_seconds: 20 } }, { id: 't', node_type: 'transform', config: { expression: '1' } }],
      edges: [{ source_node_id: 'tick', target_node_id: 't' }],
    });
    const pre = await s.call('GET', `/automation/workflows/${wf.id}/preflight`);
    expect(pre.body.problems).toEqual([]);
    expect(pre.body.warnings).toEqual([expect.objectContaining({ code: 'schedule_fires_soon', node_id: 'tick', path: '/nodes/0/config' })]);
    const act = await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    expect(act.status).toBe(200);
    expect(act.body.warnings).toEqual([expect.objectContaining({ code: 'schedule_fires_soon' })]);
    expect((await s.call('POST', `/automation/workflows/${wf.id}/deactivate`)).status).toBe(200);
  });

  it('warns of a fleet step naming a host the inventory does not have, until it is added', async () => {
    const wf = await create({
      name: `Fleet uptime ${dialect.name}`,
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'uptime', node_type: 'action', config: { action_type: 'execute_command', command: ['uptime'], targets: { names: [`web-9-${dialect.name}`] } } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'uptime' }],
    });
    const pre = await s.call('GET', `/automation/workflows/${wf.id}/preflight`);
    expect(pre.body.problems).toEqual([]);
    expect(pre.body.warnings).toEqual([expect.objectContaining({ code: 'fleet_host_unknown', node_id: 'uptime', path: '/nodes/1/config/targets/names' })]);
    expect(pre.body.warnings[0].message).toContain(`web-9-${dialect.name}`);
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnever-shown-7c1d\n-----END OPENSSH PRIVATE KEY-----';
    expect((await s.call('POST', '/automation/credentials', { body: { name: `fleet-key-${dialect.name}`, type: 'ssh_key', data: { host: '127.0.0.1', username: 'ops', private_key: key } } })).status).toBe(201);
    expect((await s.call('POST', '/automation/hosts', { as: 'operator', body: { name: `web-9-${dialect.name}`, address: '127.0.0.1', tags: ['web'], ssh_credential_id: `fleet-key-${dialect.name}` } })).status).toBe(201);
    const act = await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    expect(act.status).toBe(200);
    expect(act.body.warnings).toEqual([]);
  });

  it('attackers: anonymous gets 401, a viewer may read the preflight but not activate, an unknown id is 404', async () => {
    const wf = await create(webhook(`attack-${dialect.name}`, { mode: 'nope' }));
    expect((await s.call('GET', `/automation/workflows/${wf.id}/preflight`, { as: null })).status).toBe(401);
    expect((await s.call('POST', `/automation/workflows/${wf.id}/activate`, { as: null })).status).toBe(401);
    expect((await s.call('POST', `/automation/workflows/${wf.id}/activate`, { as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', `/automation/workflows/${wf.id}/activate`, { as: 'operator' })).status).toBe(403);
    expect((await s.call('GET', `/automation/workflows/${wf.id}/preflight`, { as: 'viewer' })).status).toBe(200);
    const missing = await s.call('GET', '/automation/workflows/wf_nope/preflight', { as: 'viewer' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A hostile config never answers 500, and secrets in it are not echoed back.
    const hostile = await create(webhook(`hostile-${dialect.name}`, { mode: { $gt: '' }, token: 'sup3r-secret-token' }));
    const r = await s.call('POST', `/automation/workflows/${hostile.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.text).not.toContain('sup3r-secret-token');
  });
});
