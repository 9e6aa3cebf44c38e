import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer } from './api-server.js';

describe.each(DIALECTS)('audit log on $name', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(dialect); });
  afterAll(async () => { await s.close(); });

  it('records who changed what and every execution start; reads are not recorded; only admins read it', async () => {
    const created = await s.call('POST', '/automation/workflows', { body: LINEAR, as: 'editor' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    await s.call('GET', `/automation/workflows/${id}`, { as: 'viewer' });
    const run = await s.call('POST', `/automation/workflows/${id}/execute`, { body: { input_data: { n: 1 } }, as: 'operator' });
    const execId = (run.body as { id: string }).id;
    const denied = await s.call('DELETE', `/automation/workflows/${id}`, { as: 'viewer' });
    expect(denied.status).toBe(403);

    const audit = await s.call('GET', '/automation/admin/audit?limit=20');
    expect(audit.status).toBe(200);
    const items = (audit.body as { items: Array<{ actor: string | null; action: string; resource_type: string; resource_id: string | null }> }).items;
    expect(items).toContainEqual(expect.objectContaining({ action: 'POST /automation/workflows', resource_type: 'workflows', actor: 'api_key:test editor' }));
    expect(items).toContainEqual(expect.objectContaining({ action: 'POST /automation/workflows/:id/execute', resource_id: id, actor: 'api_key:test operator' }));
    expect(items).toContainEqual(expect.objectContaining({ action: 'execution.started', resource_id: execId }));
    expect(items.some((i) => i.action.startsWith('GET'))).toBe(false);
    expect(items.some((i) => i.action.startsWith('DELETE'))).toBe(false);
    expect((await s.call('GET', '/automation/admin/audit', { as: 'editor' })).status).toBe(403);
  });

  it('audits a webhook start once, as the trigger that started it, and not the ingress request as an API mutation', async () => {
    const hook = {
      name: 'audited hook',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'audited', methods: ['POST'], auth: { mode: 'none' }, response: { mode: 'result' } } },
        { id: 'out', node_type: 'transform', config: { expression: '$trigger.body.n' } },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'out' }],
    };
    const id = ((await s.call('POST', '/automation/workflows', { body: hook, as: 'editor' })).body as { id: string }).id;
    expect((await s.call('POST', `/automation/workflows/${id}/activate`, { as: 'editor' })).status).toBe(200);
    const answered = await fetch(`${s.url}/webhooks/audited`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":7}' });
    expect(answered.status).toBe(200);
    const execId = answered.headers.get('x-itw-execution-id');

    const items = ((await s.call('GET', '/automation/admin/audit?limit=50')).body as { items: Array<{ actor: string | null; action: string; resource_id: string | null; details: unknown }> }).items;
    expect(items.filter((i) => i.resource_id === execId)).toEqual([
      expect.objectContaining({ action: 'execution.started', actor: 'trigger:webhook', details: { workflow_id: id, version: 1, mode: 'trigger' } }),
    ]);
    expect(items.some((i) => i.action.includes('/webhooks/'))).toBe(false);
  });
});
