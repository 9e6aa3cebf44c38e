import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApprovalLinkSecret } from '../../src/api/approvals/link-secret.js';
import { ApprovalLinks } from '../../src/api/approvals/link-signer.js';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';

//  start ──► ask (approval) ─approved─► restart (log)
//                 └──────────rejected─► leave (transform)
function approvalWorkflow(approvers: string[], message = 'Restart {{ $trigger.service }}?') {
  return {
    name: 'Guarded restart',
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'ask', node_type: 'approval', config: { message, approvers, timeout_seconds: 3600 } },
      { id: 'restart', node_type: 'action', config: { action_type: 'log', message: 'restarting {{ $trigger.service }}' } },
      { id: 'leave', node_type: 'transform', config: { expression: '"left alone: " & $input.comment' } },
    ],
    edges: [
      { source_node_id: 'start', target_node_id: 'ask' },
      { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'restart' },
      { source_node_id: 'ask', source_handle: 'rejected', target_node_id: 'leave' },
    ],
  };
}

describe.each(DIALECTS)('approvals API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(dialect); });
  afterAll(async () => { await s.close(); });

  /** Starts a run of a new workflow and returns it once its approval waits. */
  async function waitingApproval(approvers: string[], message?: string) {
    const wf = await s.call('POST', '/automation/workflows', { as: 'editor', body: approvalWorkflow(approvers, message) });
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body: { input_data: { service: 'nginx' } } });
    expect(run.status).toBe(202);
    const executionId = String(run.body.id);
    await untilStatus(s, executionId, (st) => st === 'waiting');
    const list = await s.call('GET', `/automation/approvals?execution_id=${executionId}`, { as: 'operator' });
    expect(list.body.items).toHaveLength(1);
    // Links are built on ITW_PUBLIC_URL (here the default, not where this test server listens).
    const approval = list.body.items[0];
    for (const key of ['approve_url', 'reject_url']) {
      const url: unknown = approval[key];
      if (typeof url !== 'string') continue;
      expect(url.startsWith(`${s.config.publicUrl}/approvals/`)).toBe(true);
      approval[key] = `${s.url}${new URL(url).pathname}`;
    }
    return { workflowId: String(wf.body.id), executionId, approval };
  }

  it('lists pending approvals across executions with what approving will do', async () => {
    const started = Date.now();
    const { workflowId, executionId, approval } = await waitingApproval([]);
    expect(approval).toMatchObject({
      execution_id: executionId, workflow_id: workflowId, node_id: 'ask', scope: '', message: 'Restart nginx?', approvers: [],
      plan: ['log info: "restarting nginx"'], can_answer: true,
    });
    expect(approval.run_id).toMatch(/^nexec_/);
    expect(Date.parse(approval.requested_at)).toBeGreaterThanOrEqual(started - 1000);
    // timeout_seconds: 3600 after the request (the deadline is taken a moment after the step started).
    expect(Date.parse(approval.expires_at) - Date.parse(approval.requested_at)).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.parse(approval.expires_at) - Date.parse(approval.requested_at)).toBeLessThan(3_601_000);
    expect(approval.approve_url).toMatch(new RegExp(`^${s.url}/approvals/[\\w-]+\\.[\\w-]+$`));
    // A viewer sees it, but gets no links: they may not answer.
    const seen = (await s.call('GET', '/automation/approvals', { as: 'viewer' })).body.items.find((a: { run_id: string }) => a.run_id === approval.run_id);
    expect(seen).toMatchObject({ can_answer: false });
    expect(seen).not.toHaveProperty('approve_url');
    expect((await s.call('GET', `/automation/approvals?workflow_id=${workflowId}`)).body.items.map((a: { run_id: string }) => a.run_id)).toEqual([approval.run_id]);
    await s.call('POST', `/automation/executions/${executionId}/cancel`, { as: 'operator' });
    expect((await s.call('GET', `/automation/approvals?execution_id=${executionId}`)).body.items).toEqual([]);
  });

  it('an operator approves with a comment: the approved path runs, the decision is recorded, a second answer is 409', async () => {
    const { executionId, approval } = await waitingApproval([]);
    expect((await s.call('POST', `/automation/approvals/${approval.run_id}/approve`, { as: 'viewer', body: {} })).status).toBe(403);
    const r = await s.call('POST', `/automation/approvals/${approval.run_id}/approve`, { as: 'operator', body: { comment: 'go ahead' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ run_id: approval.run_id, execution_id: executionId, node_id: 'ask', decision: 'approved', by: 'test operator', comment: 'go ahead' });
    const done = await untilStatus(s, executionId);
    expect(done.body.status).toBe('completed');
    const ask = done.body.nodes.find((n: { node_id: string }) => n.node_id === 'ask');
    expect(ask.output).toEqual({ decision: 'approved', by: 'test operator', comment: 'go ahead', decided_at: r.body.decided_at });
    expect(done.body.output).toEqual({ restart: { message: 'restarting nginx', level: 'info' } });
    const again = await s.call('POST', `/automation/approvals/${approval.run_id}/reject`, { as: 'operator' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect((await s.call('POST', '/automation/approvals/nexec_nope/approve', { as: 'operator' })).status).toBe(404);
  });

  it('only the listed approvers (by API key name or username) or an admin may answer', async () => {
    const { executionId, approval } = await waitingApproval(['alice', 'bob']);
    const denied = await s.call('POST', `/automation/approvals/${approval.run_id}/approve`, { as: 'operator' });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('alice, bob');
    expect((await s.call('GET', `/automation/approvals?execution_id=${executionId}`, { as: 'operator' })).body.items[0]).toMatchObject({ can_answer: false });

    const aliceKey = await s.call('POST', '/automation/admin/api-keys', { body: { name: 'alice', role: 'operator' } });
    const asAlice = { authorization: `Bearer ${String(aliceKey.body.key)}` };
    expect((await s.call('GET', `/automation/approvals?execution_id=${executionId}`, { headers: asAlice })).body.items[0]).toMatchObject({ can_answer: true });
    const r = await s.call('POST', `/automation/approvals/${approval.run_id}/reject`, { headers: asAlice, body: { comment: 'not during peak' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ decision: 'rejected', by: 'alice' });
    const done = await untilStatus(s, executionId);
    expect(done.body.output).toEqual({ leave: 'left alone: not during peak' });

    // A session answers as its username; an admin may answer any approval.
    const second = await waitingApproval(['bob']);
    await s.call('POST', '/automation/admin/users', { body: { username: 'bob', password: 'bob password 1', role: 'operator' } });
    const login = await s.call('POST', '/auth/login', { as: null, body: { username: 'bob', password: 'bob password 1' } });
    const session = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': String(login.body.csrf_token) };
    const bob = await s.call('POST', `/automation/approvals/${second.approval.run_id}/approve`, { as: null, headers: session, body: {} });
    expect(bob.status).toBe(200);
    expect(bob.body.by).toBe('bob');
    const third = await waitingApproval(['bob']);
    const admin = await s.call('POST', `/automation/approvals/${third.approval.run_id}/approve`, { as: 'admin' });
    expect(admin.body).toMatchObject({ decision: 'approved', by: 'test admin' });
  });

  it('a signed link shows a confirm page without credentials and answers once on POST', async () => {
    const { executionId, approval } = await waitingApproval([], 'Restart <b>{{ $trigger.service }}</b> & co?');
    const link = String(approval.reject_url);
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Restart &lt;b&gt;nginx&lt;/b&gt; &amp; co?');
    expect(html).toContain('<form method="post">');
    expect(html).toContain('Reject as test operator');
    // Looking changed nothing.
    expect((await s.call('GET', `/automation/executions/${executionId}`)).body.status).toBe('waiting');

    const posted = await fetch(link, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: 'comment=too+risky' });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Rejected');
    const done = await untilStatus(s, executionId);
    expect(done.body.output).toEqual({ leave: 'left alone: too risky' });
    expect(done.body.nodes.find((n: { node_id: string }) => n.node_id === 'ask').output).toMatchObject({ decision: 'rejected', by: 'test operator', comment: 'too risky' });

    const replay = await s.call('POST', link.slice(s.url.length), { as: null });
    expect(replay.status).toBe(409);
    const approveAfter = await s.call('POST', String(approval.approve_url).slice(s.url.length), { as: null });
    expect(approveAfter.status).toBe(409);
  });

  it('refuses forged and expired links with 401; the link key is a 0600 file in the data dir', async () => {
    const { approval } = await waitingApproval([]);
    const path = String(approval.approve_url).slice(s.url.length);
    const [body, mac] = path.slice('/approvals/'.length).split('.') as [string, string];
    const forgedClaims = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), b: 'mallory' })).toString('base64url');
    for (const token of [`${forgedClaims}.${mac}`, `${body}.${mac.slice(1)}x`, 'garbage']) {
      const r = await s.call('POST', `/approvals/${token}`, { as: null });
      expect(r.status, token).toBe(401);
      expect(r.body.code).toBe('unauthorized');
    }
    const file = join(s.config.dataDir, 'approval-link.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const links = new ApprovalLinks(loadApprovalLinkSecret({ fromEnv: undefined, dataDir: s.config.dataDir }));
    const expired = links.sign({ run_id: String(approval.run_id), decision: 'approve', expires_at: Date.now() - 1000, by: 'test operator', holder: { kind: 'api_key', id: 'key_x' } });
    const r = await s.call('POST', `/approvals/${expired}`, { as: null });
    expect(r.status).toBe(401);
    expect(r.body.detail).toContain('expired');
    const page = await fetch(`${s.url}/approvals/${expired}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('has expired');
    // The genuine link still works, as JSON for a client that is not a browser.
    const ok = await s.call('POST', path, { as: null, body: { comment: 'fine' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ decision: 'approved', by: 'test operator', comment: 'fine' });
  });
});
