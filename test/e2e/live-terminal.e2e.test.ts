import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilStatus } from '../api/api-server.js';
import { sandboxPath } from '../support/sandbox-path.js';
import { axeViolations, login, screenshot, startE2E, type E2E } from './harness.js';

// The command prints, then waits for a file the test writes once the browser showed the line live.
const shared = sandboxPath('itw-e2e-live-');
const gate = join(shared, 'gate');
const BUILD = {
  name: 'Build with output',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' }, position_x: 0, position_y: 0 },
    {
      id: 'build', node_type: 'action', position_x: 280, position_y: 0,
      config: { action_type: 'execute_command', shell: true, cwd: shared, timeout_seconds: 120, command: `echo "building step 1"; echo "warning: cache cold" >&2; while [ ! -e ${gate} ]; do sleep 0.05; done; echo "all done"` },
    },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'build' }],
};

describe('execution view: live terminal pane in a real browser', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ config: { sandboxPaths: [shared] } });
    await login(e.page, e.url);
  }, 240_000);
  afterAll(async () => e?.close());

  it('shows a running step\'s lines as they are written, then its full log', async () => {
    const wf = await e.server.call('POST', '/automation/workflows', { body: BUILD });
    await e.server.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const run = await e.server.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: {} } });
    await e.page.goto(`${e.url}/executions/${run.body.id}`);
    const terminal = e.page.getByRole('log', { name: 'Console of build' });
    await terminal.getByText('building step 1').waitFor();
    await e.page.getByText('● live').waitFor();
    expect(await terminal.textContent()).toContain('warning: cache cold');
    await screenshot(e.page, 'live-terminal-running');
    writeFileSync(gate, '');
    await untilStatus(e.server, String(run.body.id));
    await e.page.getByText('full log').waitFor();
    expect(await terminal.textContent()).toContain('all done');
    await screenshot(e.page, 'live-terminal-done');
    expect(await axeViolations(e.page)).toEqual([]);
    expect(e.unexpectedErrors()).toEqual([]);
  }, 120_000);
});
