// Issue 12 item 1: the egress policy, the restart allow-list and the other ports were module state
// set by createApp, so the last app opened in a process configured every other one, and closing one
// unconfigured the rest. Each app now passes its own services to its steps: two apps side by side
// in one process (two data dirs) each follow their own configuration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { httpFixture, json } from '../support/http-fixture.js';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';

const SQLITE = DIALECTS[0]!;

const fetchFlow = (url: string): WorkflowDefinition => ({
  name: 'Fetch',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'fetch', node_type: 'api_call', config: { url } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'fetch' }],
} as unknown as WorkflowDefinition);

const restartFlow = (url: string): WorkflowDefinition => ({
  name: 'Restart web',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'restart', node_type: 'action', config: { action_type: 'restart_service', service: 'web', method: 'http', url } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'restart' }],
} as unknown as WorkflowDefinition);

describe('two apps in one process, each with its own policies', () => {
  let fixture: Awaited<ReturnType<typeof httpFixture>>;
  let open: Harness;
  let strict: Harness;

  beforeAll(async () => {
    fixture = await httpFixture((req, res) => json(res, 200, { path: req.url }));
    // Opened in this order so that, with process-wide policy, the strict app's settings would win for both.
    open = await openHarness(SQLITE, { config: { restartAllowedServices: ['web'] } });
    strict = await openHarness(SQLITE, { config: { egressAllow: [], restartAllowedServices: [] } });
  });
  afterAll(async () => {
    await open?.close();
    await strict?.close();
    await fixture.close();
  });

  it('runs workflows side by side: the loopback-allowing app reaches the fixture, the strict one is refused', async () => {
    const [openFetch, strictFetch, openRestart, strictRestart] = await Promise.all([
      open.run(fetchFlow(`${fixture.url}/open`)),
      strict.run(fetchFlow(`${fixture.url}/strict`)),
      open.run(restartFlow(`${fixture.url}/restart-open`)),
      strict.run(restartFlow(`${fixture.url}/restart-strict`)),
    ]);
    expect(openFetch.execution.status).toBe('completed');
    expect(openFetch.node('fetch').output).toMatchObject({ status: 200, body: { path: '/open' } });
    expect(strictFetch.execution.status).toBe('failed');
    expect(strictFetch.node('fetch').error).toMatchObject({ code: 'egress_denied' });
    expect(openRestart.execution.status).toBe('completed');
    expect(strictRestart.node('restart').error).toMatchObject({ code: 'service_not_allowed' });
    // Only the open app's requests arrived.
    expect(fixture.requests.map((r) => r.url).sort()).toEqual(['/open', '/restart-open']);
  });

  it('closing one app leaves the other configured as it was', async () => {
    await strict.close();
    const after = await open.run(fetchFlow(`${fixture.url}/after-close`));
    expect(after.execution.status).toBe('completed');
    expect(fixture.requests.at(-1)?.url).toBe('/after-close');
    // Reopened with the same config, the strict app refuses again (and the open one is unchanged).
    strict = await openHarness(SQLITE, { config: { egressAllow: [], restartAllowedServices: [] } });
    const refused = await strict.run(fetchFlow(`${fixture.url}/strict-again`));
    expect(refused.node('fetch').error).toMatchObject({ code: 'egress_denied' });
    expect((await open.run(fetchFlow(`${fixture.url}/open-again`))).execution.status).toBe('completed');
    expect(fixture.requests.map((r) => r.url)).not.toContain('/strict-again');
  });
});
