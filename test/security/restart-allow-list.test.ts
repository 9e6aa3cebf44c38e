// Issue 11, finding 11 (restart_service): the service allow-list bounds every restart method. Before
// the fix, `method: command` ran any argv under an allowed name, and a step's own
// `allowed_services` opened services the server never allowed.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-restart-'));
const restarted = join(dir, 'web.restarted');
const pwned = join(dir, 'pwned');
// The configured command runs in the sandbox as `nobody`: it writes where the site lets it (ITW_SANDBOX_PATHS).
chmodSync(dir, 0o777);

describe('restart_service allow-list (finding 11)', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(SQLITE, {
      config: { sandboxPaths: [dir], restartAllowedServices: ['web'], restartCommands: { web: [process.execPath, '-e', `require("fs").writeFileSync(${JSON.stringify(restarted)}, "")`] } },
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function restart(params: Record<string, unknown>) {
    const def = {
      name: `restart ${JSON.stringify(params)}`,
      nodes: [
        { id: 'start', node_type: 'trigger', config: {} },
        { id: 'restart', node_type: 'action', config: { action_type: 'restart_service', params: { method: 'command', ...params } } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'restart' }],
    };
    const wf = await s.call('POST', '/automation/workflows', { body: def, as: 'editor' });
    expect((await s.call('POST', `/automation/workflows/${wf.body.id}/activate`, { as: 'editor' })).status).toBe(200);
    const ex = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: {}, as: 'operator' });
    const done = await untilStatus(s, String(ex.body.id));
    return (done.body.nodes as Array<{ node_id: string; status: string; error: { code: string; message: string } | null }>).find((n) => n.node_id === 'restart')!;
  }

  it('method command with a service outside the allow-list is refused, whatever the step lists itself', async () => {
    const step = await restart({ service: 'db', command: ['sh', '-c', `touch ${pwned}`], allowed_services: ['db'] });
    expect(step).toMatchObject({ status: 'failed', error: { code: 'service_not_allowed' } });
    expect(existsSync(pwned)).toBe(false);
  });

  it('an allowed service runs only its configured restart command: another argv under its name is refused', async () => {
    const step = await restart({ service: 'web', command: ['sh', '-c', `touch ${pwned}`] });
    expect(step).toMatchObject({ status: 'failed', error: { code: 'service_not_allowed' } });
    expect(step.error!.message).toMatch(/configured restart command/);
    expect(existsSync(pwned)).toBe(false);

    expect(await restart({ service: 'web' })).toMatchObject({ status: 'completed' });
    expect(existsSync(restarted)).toBe(true);
  });
});
