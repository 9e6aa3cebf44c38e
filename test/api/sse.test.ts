import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { LINEAR, startApiServer, type ApiServer } from './api-server.js';
import { openEvents } from './sse-client.js';

/**
 * trigger → delay 2 s → transform → transform: slow enough to subscribe while it waits, even on a
 * loaded box (0.4 s was once over before the stream opened, under three test runs at once).
 */
const DELAYED = {
  name: 'Delayed',
  nodes: [
    { id: 'start', node_type: 'trigger', config: {} },
    { id: 'wait', node_type: 'delay', config: { seconds: 2 } },
    { id: 'double', node_type: 'transform', config: { expression: '$input.items.($ * 2)' } },
    { id: 'sum', node_type: 'transform', config: { expression: '$sum($input)' } },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'wait' },
    { source_node_id: 'wait', target_node_id: 'double' },
    { source_node_id: 'double', target_node_id: 'sum' },
  ],
};

describe.each(DIALECTS)('live updates over SSE ($name)', (dialect) => {
  let s: ApiServer;
  let auth: Record<string, string>;
  beforeAll(async () => {
    s = await startApiServer(dialect, { server: { heartbeatMs: 50 } });
    auth = { authorization: `Bearer ${s.keys.viewer}` };
  });
  afterAll(async () => s.close());

  const deploy = async (def: object) => {
    const wf = await s.call('POST', '/automation/workflows', { body: def });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    return String(wf.body.id);
  };

  it('streams one execution: a snapshot, then node events in commit order, and ends at the final status', async () => {
    const wf = await deploy(DELAYED);
    const started = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1, 2] } } });
    const stream = await openEvents(`${s.url}/automation/executions/${started.body.id}/events`, auth);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.ended;
    const [snapshot, ...rest] = stream.messages;
    expect(snapshot!.event).toBe('snapshot');
    expect(snapshot!.data.execution).toMatchObject({ id: started.body.id });
    expect(snapshot!.data.nodes.map((n: { node_id: string }) => n.node_id)).toContain('wait');
    const completedNodes = rest.filter((m) => m.event === 'node' && m.data.status === 'completed').map((m) => m.data.node_id);
    expect(completedNodes).toEqual(['wait', 'double', 'sum']);
    const last = rest[rest.length - 1]!;
    expect(last).toMatchObject({ event: 'execution', data: { id: started.body.id, status: 'completed', output: { sum: 6 } } });
  });

  it('ends at once with the snapshot when the execution is already finished', async () => {
    const wf = await deploy(LINEAR);
    const started = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } } });
    const stream = await openEvents(`${s.url}/automation/executions/${started.body.id}/events`, auth);
    await stream.ended;
    // Either the snapshot was already final or the rest of the run followed it; the stream ends both ways.
    const last = stream.messages.at(-1)!;
    expect(last.event === 'snapshot' ? last.data.execution.status : last.data.status).toBe('completed');
  });

  it('streams every execution for dashboards, filtered by workflow when asked, with heartbeats', async () => {
    const wf = await deploy(LINEAR);
    const other = await deploy(LINEAR);
    const all = await openEvents(`${s.url}/automation/events`, auth);
    const mine = await openEvents(`${s.url}/automation/events?workflow_id=${wf}`, auth);
    await all.until((m) => m.event === 'ready');
    const a = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { input_data: { items: [1] } } });
    const b = await s.call('POST', `/automation/workflows/${other}/execute`, { body: { input_data: { items: [1] } } });
    for (const id of [a.body.id, b.body.id]) await all.until((m) => m.event === 'execution' && m.data.id === id && m.data.status === 'completed');
    await mine.until((m) => m.event === 'execution' && m.data.id === a.body.id && m.data.status === 'completed');
    const nodesOfA = all.messages.filter((m) => m.event === 'node' && m.data.execution_id === a.body.id && m.data.status === 'completed').map((m) => m.data.node_id);
    expect(nodesOfA).toEqual(['start', 'double', 'sum']);
    const seenByMine = new Set(mine.messages.filter((m) => m.event !== 'ready').map((m) => (m.event === 'node' ? m.data.execution_id : m.data.id)));
    expect([...seenByMine]).toEqual([a.body.id]);
    expect(mine.messages.filter((m) => m.event === 'node' && m.data.status === 'completed').map((m) => m.data.node_id)).toEqual(['start', 'double', 'sum']);
    await all.stop();
    await mine.stop();
  });

  it('requires credentials', async () => {
    const r = await s.call('GET', '/automation/events', { as: null });
    expect(r.status).toBe(401);
  });
});
