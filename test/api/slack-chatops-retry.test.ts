import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { DIALECTS } from '../support/harness.js';
import { httpFixture, json, type Recorded } from '../support/http-fixture.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';

const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

/** How the fake Slack answers the next calls of one method: each entry is used once, then it answers ok. */
type Failure = 'http-503' | 'ratelimited' | 'not_in_channel' | 'reset';
const script: Record<'chat.postMessage' | 'chat.update', Failure[]> = { 'chat.postMessage': [], 'chat.update': [] };
let posted = 0;

/** slack.com's chat.postMessage and chat.update, failing the way Slack does when told to. */
function slackApi(req: Recorded, res: ServerResponse): void {
  const method = req.url.slice('/api/'.length) as keyof typeof script;
  if (!(method in script)) return json(res, 404, { ok: false, error: 'not_found' });
  if (req.headers['authorization'] !== `Bearer ${BOT_TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
  const failure = script[method].shift();
  if (failure === 'http-503') return json(res, 503, { ok: false, error: 'service_unavailable' });
  if (failure === 'ratelimited') return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
  if (failure === 'not_in_channel') return json(res, 200, { ok: false, error: 'not_in_channel' });
  if (failure === 'reset') return void res.socket?.destroy();
  const body = JSON.parse(req.body) as { ts?: string };
  return json(res, 200, { ok: true, channel: 'C0OPS', ts: body.ts ?? `1712345678.${String(++posted).padStart(6, '0')}` });
}

type Fake = Awaited<ReturnType<typeof httpFixture>>;
/** Posts carry the run id in their buttons' values. */
const posts = (fake: Fake, runId: string) => fake.requests.filter((r) => r.url === '/api/chat.postMessage' && r.body.includes(runId)).length;
/** Rewrites name the message by its ts. */
const updates = (fake: Fake, ts: string | null) => fake.requests.filter((r) => r.url === '/api/chat.update' && (JSON.parse(r.body) as { ts?: string }).ts === ts);

describe.each(DIALECTS)('ChatOps when Slack fails ($name)', (dialect) => {
  let s: ApiServer;
  let fake: Fake;
  let seq = 0;

  beforeAll(async () => {
    fake = await httpFixture(slackApi);
    // A sweep every 100 ms (the first retry after that, doubling): the test waits fractions of a second.
    s = await startApiServer(dialect, { config: { slackCredential: 'chatops-slack', slackSyncMs: 100, slackTimeoutMs: 2000 } });
    const cred = await s.call('POST', '/automation/credentials', { body: { name: 'chatops-slack', type: 'slack', data: { bot_token: BOT_TOKEN, signing_secret: 'e3b0c44298fc1c149afbf4c8996fb924', base_url: fake.url } } });
    expect(cred.status).toBe(201);
  });
  afterAll(async () => {
    await s.close();
    await fake.close();
  });
  beforeEach(() => {
    script['chat.postMessage'] = [];
    script['chat.update'] = [];
  });

  /** An approval asking in #ops, waiting; its run id. */
  async function approvalWaiting(): Promise<{ executionId: string; runId: string }> {
    const wf = await s.call('POST', '/automation/workflows', {
      body: {
        name: `Guarded restart ${++seq}`,
        nodes: [
          { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
          { id: 'ask', node_type: 'approval', config: { message: 'Restart nginx?', slack_channel: '#ops', timeout_seconds: 3600 } },
          { id: 'restart', node_type: 'action', config: { action_type: 'log', message: 'restarting' } },
        ],
        edges: [{ source_node_id: 'start', target_node_id: 'ask' }, { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'restart' }],
      },
    });
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body: {} });
    const executionId = String(run.body.id);
    await untilStatus(s, executionId, (st) => st === 'waiting');
    const runId = String((await s.call('GET', `/automation/approvals?execution_id=${executionId}`)).body.items[0].run_id);
    return { executionId, runId };
  }

  const row = (runId: string) => s.app.store.db.selectFrom('slack_approval_messages').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();

  it('Slack down when the approval asks: it still waits, and is posted once Slack answers again', async () => {
    script['chat.postMessage'] = ['http-503', 'reset', 'ratelimited'];
    const { executionId, runId } = await approvalWaiting();
    await eventually('posted after three failures', async () => (await row(runId)).ts, (ts) => ts !== null, 10_000);
    expect(posts(fake, runId)).toBe(4);
    expect(await row(runId)).toMatchObject({ channel: 'C0OPS', attempts: 0, retry_at: null, outcome: null });
    expect((await s.call('GET', `/automation/executions/${executionId}`)).body.status).toBe('waiting');
    // Posted once it worked: nothing more goes to Slack for it.
    await new Promise((r) => setTimeout(r, 400));
    expect(posts(fake, runId)).toBe(4);
  });

  it('Slack failing when the answer comes: the message is rewritten with it once Slack answers', async () => {
    const { executionId, runId } = await approvalWaiting();
    await eventually('posted', async () => (await row(runId)).ts, (ts) => ts !== null);
    script['chat.update'] = ['not_in_channel', 'http-503'];
    expect((await s.call('POST', `/automation/approvals/${runId}/approve`, { as: 'operator', body: {} })).status).toBe(200);
    expect((await untilStatus(s, executionId)).body.status).toBe('completed');
    const shown = await eventually('rewritten', async () => (await row(runId)).shown, (x) => x === 'approved', 10_000);
    expect(shown).toBe('approved');
    const tries = updates(fake, (await row(runId)).ts);
    expect(tries).toHaveLength(3);
    // The retry says who answered, as the first try did.
    expect(JSON.parse(tries[2]!.body)).toMatchObject({ channel: 'C0OPS' });
    expect(JSON.parse(tries[2]!.body).text).toContain('Approved by test operator');
    expect(await row(runId)).toMatchObject({ retry_at: null, attempts: 0 });
  });

  it('answered in the UI while the post keeps failing: nothing is posted or rewritten afterwards', async () => {
    script['chat.postMessage'] = ['http-503'];
    const { executionId, runId } = await approvalWaiting();
    await eventually('the first post failed', async () => (await row(runId)).attempts, (n) => Number(n) >= 1);
    const rewrites = fake.requests.filter((r) => r.url === '/api/chat.update').length;
    script['chat.postMessage'] = Array.from({ length: 50 }, () => 'http-503' as const);
    expect((await s.call('POST', `/automation/approvals/${runId}/reject`, { as: 'operator', body: { comment: 'not now' } })).status).toBe(200);
    expect((await untilStatus(s, executionId)).body.status).toBe('completed');
    await eventually('nothing owed', async () => (await row(runId)).retry_at, (at) => at === null, 10_000);
    const tried = posts(fake, runId);
    await new Promise((r) => setTimeout(r, 400));
    expect(posts(fake, runId)).toBe(tried);
    expect(fake.requests.filter((r) => r.url === '/api/chat.update')).toHaveLength(rewrites);
    expect(await row(runId)).toMatchObject({ ts: null, outcome: 'rejected' });
  });

  it('an approval no message row was ever claimed for (its process died before posting) is posted by the sweep', async () => {
    const { runId } = await approvalWaiting();
    await eventually('posted', async () => (await row(runId)).ts, (ts) => ts !== null);
    // The state a crash between the commit and the listener leaves: the approval waits, no row.
    await s.app.store.db.deleteFrom('slack_approval_messages').where('run_id', '=', runId).execute();
    const before = posts(fake, runId);
    await eventually('posted again by the sweep', async () => (await s.app.store.db.selectFrom('slack_approval_messages').select('ts').where('run_id', '=', runId).executeTakeFirst())?.ts, (ts) => typeof ts === 'string', 10_000);
    expect(posts(fake, runId)).toBe(before + 1);
  });
});
