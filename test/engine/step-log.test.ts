// Issue 12 item 5: step log lines were stored but never reached the server's log, whatever
// node-handler.ts said. Now each is both stored and logged (pino, through the redacting stream)
// with execution_id and node_id; a secret in it is redacted in both places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';

const SECRET = 'step-Log-Secret-91b2c7';

const logging = {
  name: 'Logs a secret',
  variables: [{ name: 'token', type: 'string', secret: true, default: SECRET }],
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'say', node_type: 'action', config: { action_type: 'log', level: 'warn', message: 'calling with token {{ $vars.token }}', data: { region: 'eu-1' } } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'say' }],
} as unknown as WorkflowDefinition;

describe('step log lines reach the server log', () => {
  const lines: string[] = [];
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(DIALECTS[0]!, { config: { logLevel: 'debug' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => h?.close());

  it('with execution_id and node_id, stored too, and the secret redacted in both', async () => {
    const r = await h.run(logging);
    expect(r.execution.status).toBe('completed');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['node_id'] === 'say');
    expect(logged).toEqual([expect.objectContaining({ execution_id: r.execution.id, node_id: 'say', level: 40, data: { region: 'eu-1' }, msg: expect.stringContaining('calling with token') })]);
    expect(lines.join('\n')).not.toContain(SECRET);
    const stored = await h.app.store.db.selectFrom('execution_logs').select(['node_id', 'message']).where('execution_id', '=', r.execution.id).execute();
    expect(stored).toEqual([{ node_id: 'say', message: expect.stringContaining('calling with token') }]);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
  });
});
