import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, SQLITE } from '../support/harness.js';
import { LINEAR, startApiServer, untilStatus, type ApiServer } from './api-server.js';

describe.each(DIALECTS)('triggers and templates ($name)', (dialect) => {
  let s: ApiServer;
  let templates: string;
  beforeAll(async () => {
    templates = mkdtempSync(join(tmpdir(), 'itw-templates-'));
    writeFileSync(join(templates, 'server-health.yaml'), [
      'name: Server Health Check', 'description: Check health, restart if needed', 'category: Infrastructure', 'tags: [ops, health]',
      'nodes:', '  - id: start', '    node_type: trigger', '  - id: check', '    node_type: transform', '    config: { expression: "$input.up" }',
      'edges:', '  - { source_node_id: start, target_node_id: check }', '',
    ].join('\n'));
    writeFileSync(join(templates, 'broken.json'), '{"name": "Broken", "nodes": "nope"}');
    s = await startApiServer(dialect, { templatesDir: templates });
  });
  afterAll(async () => {
    await s.close();
    rmSync(templates, { recursive: true, force: true });
  });

  it('adds, lists and removes triggers of known types', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: LINEAR });
    const path = `/automation/workflows/${wf.body.id}/triggers`;
    const t = await s.call('POST', path, { body: { trigger_type: 'schedule', config: { cron: '*/5 * * * *' } } });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ workflow_id: wf.body.id, trigger_type: 'schedule', config: { cron: '*/5 * * * *' }, enabled: true, fire_count: 0 });
    expect(t.body.id).toMatch(/^trg_/);
    const bad = await s.call('POST', path, { body: { trigger_type: 'telepathy' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/trigger_type' })]);
    expect((await s.call('GET', path)).body.items).toEqual([t.body]);
    expect((await s.call('DELETE', `${path}/${t.body.id}`)).status).toBe(204);
    expect((await s.call('DELETE', `${path}/${t.body.id}`)).status).toBe(404);
    expect((await s.call('GET', path)).body.items).toEqual([]);
    expect((await s.call('POST', '/automation/workflows/wf_nope/triggers', { body: { trigger_type: 'manual' } })).status).toBe(404);
  });

  it('serves templates loaded from the templates folder, skipping broken files, and creates workflows from them', async () => {
    const list = await s.call('GET', '/automation/templates');
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: 'tpl_server-health', name: 'Server Health Check', category: 'Infrastructure', tags: ['ops', 'health'], builtin: true, node_count: 2 }),
    ]);
    expect(s.app.templateProblems.map((p) => p.file)).toEqual([join(templates, 'broken.json')]);
    expect((await s.call('GET', '/automation/templates?category=Nope')).body.items).toEqual([]);
    const one = await s.call('GET', '/automation/templates/tpl_server-health');
    expect(one.body.definition.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'check']);
    const used = await s.call('POST', '/automation/templates/tpl_server-health/use', { body: { name: 'Web health' } });
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({ name: 'Web health', status: 'draft', category: 'Infrastructure' });
    expect(used.body.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'check']);
    const run = await s.call('POST', `/automation/workflows/${used.body.id}/execute`, { body: { input_data: { up: true } } });
    expect((await untilStatus(s, String(run.body.id))).body.output).toEqual({ check: true });
    expect((await s.call('POST', '/automation/templates/tpl_nope/use')).status).toBe(404);
    expect((await s.call('GET', '/automation/metrics/dashboard')).body.templates_available).toBe(1);
  });
});

describe('catalogue, utility lists, observability and docs', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE, { config: { metricsToken: 'scrape-secret-123' } });
  });
  afterAll(async () => s.close());

  it('lists actions with their params JSON Schema', async () => {
    const list = await s.call('GET', '/automation/actions', { as: 'viewer' });
    expect(list.body.items.length).toBe(s.app.actions.size);
    const http = await s.call('GET', '/automation/actions/http_request');
    expect(http.body).toMatchObject({ id: 'http_request', params: { type: 'object', properties: expect.objectContaining({ url: expect.any(Object) }) } });
    const filtered = await s.call('GET', '/automation/actions?category=utility');
    expect(filtered.body.items.every((a: { category: string }) => a.category === 'utility')).toBe(true);
  });

  it('lists node types with config schemas and handles, trigger types and action types', async () => {
    const nodes = await s.call('GET', '/automation/node-types');
    expect(nodes.body.items).toHaveLength(14);
    expect(nodes.body.items.find((n: { type: string }) => n.type === 'condition')).toMatchObject({ handles: ['true', 'false'], available: true, config_schema: { type: 'object' } });
    const triggers = await s.call('GET', '/automation/trigger-types');
    expect(triggers.body.items.map((t: { type: string }) => t.type)).toEqual([
      'manual', 'schedule', 'webhook', 'event', 'email', 'file_watch', 'api_endpoint', 'incident', 'alert', 'deployment', 'slack_command',
    ]);
    const actionTypes = await s.call('GET', '/automation/action-types');
    expect(actionTypes.body.items.find((t: { type: string }) => t.type === 'utility').actions).toContain('log');
  });

  it('exposes Prometheus metrics to viewers and to the metrics token only', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: LINEAR });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: { items: [1] } } });
    await untilStatus(s, String(run.body.id));
    const m = await s.call('GET', '/metrics', { as: 'viewer' });
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(m.text).toMatch(/^itw_executions_started_total\{mode="manual"\} 1$/m);
    expect(m.text).toMatch(/^itw_executions_finished_total\{status="completed"\} 1$/m);
    expect(m.text).toMatch(/^itw_node_duration_seconds_count\{status="completed"\} 3$/m);
    expect(m.text).toMatch(/^itw_executions_waiting 0$/m);
    expect(m.text).toMatch(/^itw_queue_depth\{state="pending"\} 0$/m);
    const token = await s.call('GET', '/metrics', { headers: { authorization: 'Bearer scrape-secret-123' } });
    expect(token.status).toBe(200);
    expect((await s.call('GET', '/automation/workflows', { headers: { authorization: 'Bearer scrape-secret-123' } })).status).toBe(401);
    expect((await s.call('GET', '/metrics', { as: null })).status).toBe(401);
  });

  it('serves /health, /openapi.json and the Swagger UI without credentials', async () => {
    expect((await s.call('GET', '/health', { as: null })).body).toEqual({ status: 'ok', dialect: 'sqlite' });
    const doc = await s.call('GET', '/openapi.json', { as: null });
    expect(doc.body.openapi).toMatch(/^3\./);
    const create = doc.body.paths['/automation/workflows'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['name']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '422']));
    const ui = await s.call('GET', '/docs/', { as: null });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    expect(ui.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });
});
