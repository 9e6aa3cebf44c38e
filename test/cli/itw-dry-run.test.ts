import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../support/http-fixture.js';
import { LOOPBACK_EGRESS_ENV } from '../support/loopback-egress.js';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-dry-'));
const dataDir = join(dir, 'data');

async function itw(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', ITW, ...args], { env: { ...process.env, ...LOOPBACK_EGRESS_ENV, ITW_DATA_DIR: dataDir } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

//  start ──► hot? ─true──► page (send_slack) ──► restart (api_call) ──► ticket (call_api, needs $nodes.restart)
//              └──false──► mail (notification email)
//  cleanup (error_handler, not reachable from the start: not listed)
const workflow = (api: string) => `
name: dry run
variables:
  - { name: api, type: string, default: '${api}' }
  - { name: channel, type: string, default: '#ops' }
nodes:
  - { id: start, node_type: trigger, config: { trigger_type: manual } }
  - { id: hot, node_type: condition, config: { expression: '$trigger.temp > 80' } }
  - id: page
    node_type: action
    config: { action_type: send_slack, credential_id: slack, channel: '{{ $vars.channel }}', text: '{{ $trigger.host }} is at {{ $trigger.temp }}C' }
  - { id: restart, node_type: api_call, config: { method: POST, url: '{{ $vars.api }}/hosts/{{ $trigger.host }}/restart', credential_id: ops-api } }
  - { id: ticket, node_type: action, config: { action_type: call_api, method: POST, url: '{{ $vars.api }}/tickets/{{ $nodes.restart.body.id }}' } }
  - { id: mail, node_type: notification, config: { channel: email, credential_id: smtp, to: '{{ $trigger.owner }}', message: 'all fine' } }
  - { id: cleanup, node_type: error_handler, config: {} }
edges:
  - { source_node_id: start, target_node_id: hot }
  - { source_node_id: hot, source_handle: 'true', target_node_id: page }
  - { source_node_id: hot, source_handle: 'false', target_node_id: mail }
  - { source_node_id: page, target_node_id: restart }
  - { source_node_id: restart, target_node_id: ticket }
`;

describe('itw run --dry-run', () => {
  let api: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => { api = await httpFixture((_req, res) => json(res, 200, { id: 't1' })); });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every side-effecting step with its plan, resolved where it can be, and does none of them', async () => {
    const file = join(dir, 'wf.yaml');
    writeFileSync(file, workflow(api.url));
    const r = await itw('run', file, '--dry-run', '--input', '{"host": "web1", "temp": 91, "owner": "ops@example.com"}');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dry_run: true,
      steps: [
        { node_id: 'page', node_type: 'action', action_type: 'send_slack', plan: 'post to Slack channel #ops: "web1 is at 91C"' },
        { node_id: 'restart', node_type: 'api_call', plan: `POST ${api.url}/hosts/web1/restart with credential ops-api` },
        // Its URL reads the output of a step that did not run: that part is left as written.
        { node_id: 'ticket', node_type: 'action', action_type: 'call_api', plan: `POST ${api.url}/tickets/{{ $nodes.restart.body.id }}` },
        // Both branches are listed: no condition is evaluated. Among steps not ordered by edges, the file's order.
        { node_id: 'mail', node_type: 'notification', action_type: 'send_email', plan: 'send email to ops@example.com: "all fine"' },
      ],
    });
    expect(api.requests).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('still validates first: an invalid definition exits 2 with its problems', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: x\nnodes:\n  - { id: a, node_type: action, config: { action_type: teleport } }\n');
    const r = await itw('run', file, '--dry-run');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown action "teleport"');
  });
});
