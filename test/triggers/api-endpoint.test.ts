import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, startTriggerServer, untilExecutions } from './trigger-test-kit.js';

describe.each(DIALECTS)('api_endpoint trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  it('a workflow as an API: authenticated, synchronous, answers with its output', async () => {
    const wf = await deployActive(s, {
      name: 'Price API',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'api_endpoint', path: 'price/quote', method: 'POST', min_role: 'operator', response_node_id: 'quote' } },
        { id: 'quote', node_type: 'transform', config: { expression: '{"total": $trigger.body.qty * 3, "by": $trigger.caller.role}' } },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'quote' }],
    });
    expect((await s.call('POST', '/api/custom/price/quote', { body: { qty: 2 }, as: null })).status).toBe(401);
    expect((await s.call('POST', '/api/custom/price/quote', { body: { qty: 2 }, as: 'viewer' })).status).toBe(403);
    const r = await s.call('POST', '/api/custom/price/quote', { body: { qty: 2 }, as: 'operator' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ total: 6, by: 'operator' });
    const [run] = await untilExecutions(s, wf, 1);
    expect(run).toMatchObject({ mode: 'trigger', trigger_type: 'api_endpoint', id: r.headers.get('x-itw-execution-id') });
    expect(JSON.stringify(run!.input_data)).not.toContain(s.keys.operator);
    expect((await s.call('GET', '/api/custom/price/quote', { as: 'operator' })).status).toBe(404);
    expect((await s.call('POST', '/api/custom/price/quote', { raw: '{"qty":', headers: { 'content-type': 'application/json' }, as: 'operator' })).status).toBe(400);
  });

  it('a failing workflow answers 502 with the error', async () => {
    await deployActive(s, {
      name: 'Broken API',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'api_endpoint', path: 'broken' } },
        { id: 'boom', node_type: 'transform', config: { expression: '$error("nope")' } },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'boom' }],
    });
    const r = await s.call('POST', '/api/custom/broken', { body: {}, as: 'operator' });
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('nope') } });
  });
});
