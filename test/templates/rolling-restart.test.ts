import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { expectCompleted, loadTemplate, startTemplate } from './template-support.js';

const template = loadTemplate('rolling-restart.yaml');
const NAMES = ['web-1', 'web-2', 'web-3'];

describe.each(DIALECTS)('template: Rolling Restart ($name)', (dialect) => {
  const servers: Sshd[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'itw-rolling-'));
  /** Each restart appends its host's SSH port; a host whose port is in `broken` fails its restart. */
  const marks = join(dir, 'restarted');
  const broken = join(dir, 'broken');
  let h: Harness;
  const variables = { service_name: 'web-shop', restart_method: 'command', fleet_tag: 'web', canary_host: 'web-1', approvers: ['alice'] };

  beforeAll(async () => {
    for (let i = 0; i < NAMES.length; i++) servers.push(await startSshd());
    // The restart command is server policy (ITW_RESTART_COMMANDS), run on each host over SSH.
    const restart = ['sh', '-c', `p="\${SSH_CONNECTION##* }"; if grep -qx "$p" ${broken} 2>/dev/null; then echo "$p will not start" >&2; exit 1; fi; echo "$p" >> ${marks}`];
    h = await openHarness(dialect, { config: { restartAllowedServices: ['web-shop'], restartCommands: { 'web-shop': restart } } });
    for (const [i, s] of servers.entries()) {
      await h.app.vault.create({ name: `key-${NAMES[i]}`, type: 'ssh_key', data: { host: '127.0.0.1', username: userInfo().username, private_key: s.clientKey, passphrase: 'key-pass', host_key_fingerprint: s.hostFingerprint } });
      await h.app.repos.hosts.create({ name: NAMES[i]!, address: '127.0.0.1', port: s.port, tags: ['web'], ssh_credential_id: `key-${NAMES[i]}` });
    }
    await h.app.repos.hosts.create({ name: 'db-1', address: '127.0.0.1', port: servers[0]!.port, tags: ['db'], ssh_credential_id: 'key-web-1' });
  });
  afterEach(() => {
    rmSync(marks, { force: true });
    rmSync(broken, { force: true });
  });
  afterAll(async () => {
    await h.close();
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const restarted = () => (existsSync(marks) ? readFileSync(marks, 'utf8').trim().split('\n').map(Number) : []);
  const port = (name: string) => servers[NAMES.indexOf(name)]!.port;

  async function untilApproval(id: string) {
    await h.until(id, (e) => e.status === 'waiting');
    const [ask] = await h.app.repos.approvals.listWaiting({ executionId: id });
    return ask!;
  }

  it('restarts the canary, waits for approval, then the rest one at a time (never the canary twice)', async () => {
    const id = await startTemplate(h, template, {}, variables);
    const ask = await untilApproval(id);
    expect(restarted()).toEqual([port('web-1')]);
    expect(ask).toMatchObject({ node_id: 'approve_rest', approvers: ['alice'], message: expect.stringMatching(/^web-shop restarted on the canary web-1 in \d+ ms\. Restart it on the other "web" hosts, one at a time\?$/) });
    await h.app.engine.signal(id, ask.run_id, 'approved', { decision: 'approved', by: 'alice', comment: null, decided_at: new Date().toISOString() });
    const r = await h.settle(id);
    expectCompleted(r);
    expect(restarted()).toEqual([port('web-1'), port('web-2'), port('web-3')]);
    expect(r.node('done').output).toEqual({ level: 'info', message: 'web-shop restarted on web-1, web-2, web-3' });
  });

  it('a failed canary stops the roll-out before anyone is asked', async () => {
    writeFileSync(broken, `${port('web-1')}\n`);
    const id = await startTemplate(h, template, {}, variables);
    const r = await h.settle(id);
    expect(r.execution.status).toBe('failed');
    expect(r.node('restart_canary').error).toMatchObject({ code: 'fleet_failed', details: { failed: ['web-1'], hosts: { 'web-1': { stderr: `${port('web-1')} will not start\n` } } } });
    expect(r.runs.filter((run) => run.node_id === 'approve_rest')).toEqual([]);
    expect(restarted()).toEqual([]);
  });

  it('after approval, the first failed host stops the rest; a rejection restarts nothing more', async () => {
    writeFileSync(broken, `${port('web-2')}\n`);
    const id = await startTemplate(h, template, {}, variables);
    const ask = await untilApproval(id);
    await h.app.engine.signal(id, ask.run_id, 'approved', { decision: 'approved', by: 'alice', comment: null, decided_at: new Date().toISOString() });
    const r = await h.settle(id);
    expect(r.execution.status).toBe('failed');
    expect(r.node('restart_rest').error).toMatchObject({ code: 'fleet_failed', details: { failed: ['web-2'], skipped: ['web-3'] } });
    expect(restarted()).toEqual([port('web-1')]);

    rmSync(marks, { force: true });
    const id2 = await startTemplate(h, template, {}, variables);
    const ask2 = await untilApproval(id2);
    await h.app.engine.signal(id2, ask2.run_id, 'rejected', { decision: 'rejected', by: 'alice', comment: 'error rate up', decided_at: new Date().toISOString() });
    const r2 = await h.settle(id2);
    expectCompleted(r2);
    expect(r2.node('stopped').output).toEqual({ level: 'warn', message: 'web-shop: roll-out stopped after the canary web-1 (not approved)' });
    expect(restarted()).toEqual([port('web-1')]);
  });
});
