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
});
