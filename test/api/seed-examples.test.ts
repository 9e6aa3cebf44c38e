import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAction, type AnyAction } from '../../src/actions/define-action.js';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';

/**
 * The seed's four curl examples, with their paths and JSON bodies exactly as written plus an
 * Authorization header. `send_slack` is a local recording action: the real Slack connector is
 * another issue's, and this test is about the API, not Slack's wire format.
 */
const sent: unknown[] = [];
const sendSlack = defineAction({
  id: 'send_slack', name: 'Send Slack Message', category: 'communication', description: 'records the message (test double of the connector)',
  params: Type.Object({ channel: Type.String(), message: Type.String() }),
  output: Type.Object({ ok: Type.Boolean() }),
  run: (ctx) => {
    sent.push(ctx.params);
    return Promise.resolve({ ok: true });
  },
}) as unknown as AnyAction;

describe.each(DIALECTS)('the seed API examples ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect, { actions: new Map([['send_slack', sendSlack]]) });
  });
  afterAll(async () => s.close());

  it('create workflow, add node, execute workflow, get execution status', async () => {
    const auth = { Authorization: `Bearer ${s.keys.operator}` };
    const editor = { Authorization: `Bearer ${s.keys.editor}` };

    // curl -X POST "http://localhost:8023/automation/workflows" -H "Content-Type: application/json" -d '{...}'
    const created = await s.call('POST', '/automation/workflows', {
      headers: { 'Content-Type': 'application/json', ...editor },
      raw: `{
    "name": "Incident Response",
    "description": "Automated incident response workflow",
    "category": "Incident Management"
  }`,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body).toMatchObject({
      name: 'Incident Response', description: 'Automated incident response workflow', category: 'Incident Management', status: 'draft', nodes: [], edges: [],
    });
    const wf = String(created.body.id);
    expect(wf).toMatch(/^wf_/);

    const added = await s.call('POST', `/automation/workflows/${wf}/nodes`, {
      headers: { 'Content-Type': 'application/json', ...editor },
      raw: `{
    "node_type": "action",
    "label": "Send Slack Alert",
    "position_x": 100,
    "position_y": 200,
    "config": {
      "action_type": "send_slack",
      "channel": "#incidents",
      "message": "Critical incident detected"
    }
  }`,
    });
    expect(added.status).toBe(201);
    expect(added.body.nodes).toHaveLength(1);
    expect(added.body.nodes[0]).toMatchObject({
      node_type: 'action', label: 'Send Slack Alert', position_x: 100, position_y: 200,
      config: { action_type: 'send_slack', channel: '#incidents', message: 'Critical incident detected' },
    });
    expect(String(added.body.nodes[0].id)).toMatch(/^node_/);

    const executed = await s.call('POST', `/automation/workflows/${wf}/execute`, {
      headers: { 'Content-Type': 'application/json', ...auth },
      raw: `{
    "input_data": {
      "incident_id": "INC-12345",
      "severity": "critical"
    }
  }`,
    });
    expect(executed.status).toBe(202);
    const exec = String(executed.body.id);
    expect(exec).toMatch(/^exec_/);
    expect(executed.body).toMatchObject({ workflow_id: wf, input_data: { incident_id: 'INC-12345', severity: 'critical' } });
    expect(['pending', 'running', 'completed']).toContain(executed.body.status);
    await untilStatus(s, exec);

    // curl -X GET "http://localhost:8023/automation/executions/exec_xyz789"
    const status = await s.call('GET', `/automation/executions/${exec}`, { headers: auth });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: exec, workflow_id: wf, status: 'completed', mode: 'test' });
    expect(status.body.nodes).toEqual([
      expect.objectContaining({ node_id: added.body.nodes[0].id, attempt: 1, status: 'completed', output: { ok: true } }),
    ]);
    expect(Date.parse(String(status.body.started_at))).not.toBeNaN();
    expect(sent).toContainEqual({ channel: '#incidents', message: 'Critical incident detected' });
  });
});
