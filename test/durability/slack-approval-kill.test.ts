import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { httpFixture, json, type Recorded } from '../support/http-fixture.js';
import { serveChild, type ServeChild } from '../support/itw-serve-child.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-slack-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

/** ChatOps on: a 1 s Slack timeout (so a cut-short call lapses after 1.5 s), a sweep every 200 ms. */
const CHATOPS = { ITW_SLACK_CREDENTIAL: 'chatops-slack', ITW_SLACK_SYNC_MS: '200', ITW_SLACK_TIMEOUT_MS: '1000' };
const serve = (dataDir: string, slack: boolean) => serveChild(dataDir, slack ? CHATOPS : {});

const APPROVAL = {
  name: 'Guarded restart',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'ask', node_type: 'approval', config: { message: 'Restart nginx?', slack_channel: '#ops', timeout_seconds: 3600 } },
    { id: 'restart', node_type: 'action', config: { action_type: 'log', message: 'restarting' } },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'ask' }, { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'restart' }],
};

/** Starts the approval workflow; resolves with its waiting approval's run id. */
async function approvalWaiting(s: ServeChild): Promise<{ executionId: string; runId: string }> {
  const wf = await s.call('POST', '/automation/workflows', APPROVAL);
  const run = await s.call('POST', `/automation/workflows/${String(wf.body['id'])}/execute`, {});
  const executionId = String(run.body['id']);
  const approval = await eventually('the approval waiting', async () => (await s.call('GET', `/automation/approvals?execution_id=${executionId}`)).body.items ?? [], (items) => items.length === 1);
  return { executionId, runId: String(approval[0]!['run_id']) };
}

// Real processes, killed with SIGKILL and started again on the same data dir: the test needs seconds.
describe('kill -9 and Slack approval messages', { timeout: 120_000 }, () => {
  it('a post cut short by the kill is made by the next process; the answer then rewrites that message', async () => {
    // Slack holds the first post open, as if slow: the process is killed while it waits.
    let held = 0;
    const fake = await httpFixture((req: Recorded, res: ServerResponse) => {
      if (req.url === '/api/chat.postMessage' && held++ === 0) return;
      if (req.url === '/api/chat.postMessage') return json(res, 200, { ok: true, channel: 'C0OPS', ts: '1712345678.000900' });
      if (req.url === '/api/chat.update') return json(res, 200, { ok: true, channel: 'C0OPS', ts: (JSON.parse(req.body) as { ts: string }).ts });
      return json(res, 404, { ok: false, error: 'not_found' });
    });
    const dataDir = join(dir, 'cut-short');
    try {
      const first = await serve(dataDir, true);
      expect((await first.call('POST', '/automation/credentials', { name: 'chatops-slack', type: 'slack', data: { bot_token: BOT_TOKEN, signing_secret: 'e3b0c44298fc1c149afbf4c8996fb924', base_url: fake.url } })).status).toBe(201);
      const { executionId, runId } = await approvalWaiting(first);
      await eventually('the first post on its way', () => Promise.resolve(held), (n) => n === 1);
      await first.kill();

      const second = await serve(dataDir, true);
      try {
        const posts = () => fake.requests.filter((r) => r.url === '/api/chat.postMessage' && r.body.includes(runId));
        await eventually('posted by the next process once the cut-short call lapsed', () => Promise.resolve(posts().length), (n) => n === 2, 20_000);
        expect(JSON.parse(posts()[1]!.body)).toMatchObject({ channel: '#ops', text: 'Approval needed: Restart nginx?' });
        expect((await second.call('POST', `/automation/approvals/${runId}/approve`, {})).status).toBe(200);
        const update = await eventually('the message rewritten', () => Promise.resolve(fake.requests.filter((r) => r.url === '/api/chat.update')), (u) => u.length === 1);
        expect(JSON.parse(update[0]!.body)).toMatchObject({ channel: 'C0OPS', ts: '1712345678.000900' });
        expect(JSON.parse(update[0]!.body).text).toContain('Approved by');
        const done = await eventually('the execution done', async () => (await second.call('GET', `/automation/executions/${executionId}`)).body, (b) => b['status'] === 'completed');
        expect((done['nodes'] as Array<{ node_id: string; status: string }>).filter((n) => n.node_id === 'restart').map((n) => n.status)).toEqual(['completed']);
      } finally {
        await second.kill();
      }
    } finally {
      await fake.close();
    }
  });

  it('approvals left waiting without a message (ChatOps off, or a process gone before posting) are posted when a process with ChatOps starts', async () => {
    const fake = await httpFixture((req: Recorded, res: ServerResponse) => json(res, 200, { ok: true, channel: 'C0OPS', ts: `1712345678.00${req.url.length}` }));
    const dataDir = join(dir, 'never-claimed');
    try {
      const off = await serve(dataDir, false);
      expect((await off.call('POST', '/automation/credentials', { name: 'chatops-slack', type: 'slack', data: { bot_token: BOT_TOKEN, signing_secret: 'e3b0c44298fc1c149afbf4c8996fb924', base_url: fake.url } })).status).toBe(201);
      const { runId } = await approvalWaiting(off);
      await off.kill();
      expect(fake.requests).toEqual([]);

      const on = await serve(dataDir, true);
      try {
        const posted = await eventually('posted by the sweep', () => Promise.resolve(fake.requests.filter((r) => r.url === '/api/chat.postMessage')), (p) => p.length === 1);
        expect(posted[0]!.body).toContain(runId);
      } finally {
        await on.kill();
      }
    } finally {
      await fake.close();
    }
  });
});
