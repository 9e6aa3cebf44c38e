import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, startTriggerServer, untilExecutions } from './trigger-test-kit.js';

describe.each(DIALECTS)('manual trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  it('validates a manual start\'s variables against the declared ones', async () => {
    const wf = await deployActive(s, {
      name: 'With variables',
      variables: [{ name: 'team', type: 'string', default: 'sre' }, { name: 'replicas', type: 'number', required: true }],
      nodes: [
        { id: 'go', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'out', node_type: 'transform', config: { expression: '{"team": $vars.team, "replicas": $vars.replicas}' } },
      ],
      edges: [{ source_node_id: 'go', target_node_id: 'out' }],
    });
    const bad = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { variables: { team: 7, colour: 'red' } } });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ path: string; message: string }>).map((e) => [e.path, e.message])).toEqual([
      ['/variables/team', 'must be string'], ['/variables/colour', 'is not a variable the workflow declares'], ['/variables/replicas', 'is required'],
    ]);
    const ok = await s.call('POST', `/automation/workflows/${wf}/execute`, { body: { variables: { replicas: 3 } } });
    expect(ok.status).toBe(202);
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.output).toEqual({ out: { team: 'sre', replicas: 3 } });
  });
});
