import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer } from './api-server.js';

const dialect = DIALECTS[0]!;

describe('errors that say what to do', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect);
  });
  afterAll(async () => s.close());

  it('an enum failure lists the allowed values', async () => {
    const r = await s.call('POST', '/automation/incidents', { body: { title: 'disk full', severity: 'sev1' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: '/severity', message: expect.stringMatching(/^must be one of critical, (.+, )?info$/) })]);
  });

  it('an unknown property suggests the nearest known one', async () => {
    const wf = (await s.call('POST', '/automation/workflows', { body: LINEAR })).body as { id: string };
    const r = await s.call('POST', `/automation/workflows/${wf.id}/edges`, { body: { source_node_id: 'start', target_node_id: 'sum', condtion: 'true' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: '/condtion', message: 'is not an allowed property: did you mean "condition"?' })]);
  });

  it('an unknown action id suggests the nearest action', async () => {
    const wf = (await s.call('POST', '/automation/workflows', {
      body: { name: 'Typo', nodes: [{ id: 'tell', node_type: 'action', config: { action_type: 'send_slak', channel: '#ops', text: 'hi' } }] },
    })).body as { id: string };
    const r = await s.call('POST', `/automation/workflows/${wf.id}/activate`);
    expect(r.status).toBe(422);
    expect(r.body.errors).toContainEqual(expect.objectContaining({ path: '/nodes/0/config/action_type', message: 'unknown action "send_slak" (did you mean "send_slack"?)' }));
  });

  it('a credential data error names the fields the type expects', async () => {
    const r = await s.call('POST', '/automation/credentials', { body: { name: 'gh', type: 'github', data: { tokn: 'ghp_x' } } });
    expect(r.status).toBe(400);
    expect(r.body.detail).toBe('credential data does not match type "github": its fields are token (required, secret), base_url');
    expect(r.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/data/token', message: 'is required' }),
      expect.objectContaining({ path: '/data/tokn', message: 'is not a field of a github credential (did you mean "token"?)' }),
    ]));
    // The refused secret is not echoed back.
    expect(r.text).not.toContain('ghp_x');
  });

  it('415 (what `curl -d` sends by default) says which Content-Type to send', async () => {
    const r = await s.call('POST', '/automation/workflows', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.detail).toContain('Content-Type: application/json');
  });

  it('execute with no body at all runs with no input, as {} does', async () => {
    const wf = (await s.call('POST', '/automation/workflows', {
      body: { name: 'No body', nodes: [{ id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } }, { id: 'one', node_type: 'transform', config: { expression: '1' } }], edges: [{ source_node_id: 'start', target_node_id: 'one' }] },
    })).body as { id: string };
    expect((await s.call('POST', `/automation/workflows/${wf.id}/activate`)).status).toBe(200);
    const r = await s.call('POST', `/automation/workflows/${wf.id}/execute`);
    expect([200, 202]).toContain(r.status);
    expect(r.body.id).toMatch(/^exec/);
    // An operator may; a viewer or anonymous caller may not, body or not.
    expect((await s.call('POST', `/automation/workflows/${wf.id}/execute`, { as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', `/automation/workflows/${wf.id}/execute`, { as: null })).status).toBe(401);
    expect([200, 202]).toContain((await s.call('POST', `/automation/workflows/${wf.id}/execute`, { as: 'operator' })).status);
  });
});
