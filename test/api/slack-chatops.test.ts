import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignatureHeaders } from '../../src/chatops/slack-signature.js';
import { eventually } from '../support/eventually.js';
import { DIALECTS } from '../support/harness.js';
import { httpFixture, json, type Recorded } from '../support/http-fixture.js';
import { startApiServer, untilStatus, type ApiServer, type Reply } from './api-server.js';

const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

/** slack.com as the ChatOps client sees it: chat.postMessage, chat.update, and response_url hooks. */
function slackApi(req: Recorded, res: ServerResponse): void {
  if (req.url === '/api/chat.postMessage' || req.url === '/api/chat.update') {
    if (req.headers['authorization'] !== `Bearer ${BOT_TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(res, 200, { ok: false, error: 'invalid_form_data' });
    const body = JSON.parse(req.body) as { channel?: string; ts?: string; text?: string };
    if (!body.channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
    // Slack answers with the channel's id, whatever name it was posted to.
    return json(res, 200, { ok: true, channel: 'C0OPS', ts: body.ts ?? '1712345678.000200', message: { text: body.text } });
  }
  if (req.url.startsWith('/actions/') || req.url.startsWith('/commands/')) return json(res, 200, { ok: true });
  return json(res, 404, { ok: false, error: 'not_found' });
}

type Fake = Awaited<ReturnType<typeof httpFixture>>;
const bodies = (fake: Fake, path: string) => fake.requests.filter((r) => r.url.startsWith(path)).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe.each(DIALECTS)('ChatOps in Slack, end to end through the HTTP ingress ($name)', (dialect) => {
  let s: ApiServer;
  let fake: Fake;
  let seq = 0;

  beforeAll(async () => {
    fake = await httpFixture(slackApi);
    s = await startApiServer(dialect, { config: { slackCredential: 'chatops-slack' } });
    const cred = await s.call('POST', '/automation/credentials', { body: { name: 'chatops-slack', type: 'slack', data: { bot_token: BOT_TOKEN, signing_secret: SIGNING_SECRET, base_url: fake.url } } });
    expect(cred.status).toBe(201);
    for (const [username, role, slack] of [['alice', 'operator', 'U0ALICE'], ['vera', 'viewer', 'U0VERA'], ['olga', 'operator', null]] as const) {
      const u = await s.call('POST', '/automation/admin/users', { body: { username, password: 'correct horse battery', role } });
      expect(u.status).toBe(201);
      if (slack) expect((await s.call('PATCH', `/automation/admin/users/${u.body.id}`, { body: { slack_user_id: slack } })).body).toMatchObject({ username, slack_user_id: slack });
    }
  });
  afterAll(async () => {
    await s.close();
    await fake.close();
  });

  /** A request as Slack signs it: `v0:` + timestamp + `:` + the exact form body. */
  function signed(path: string, form: Record<string, string>, opts: { stamp?: number; secret?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const raw = new URLSearchParams(form).toString();
    const stamp = opts.stamp ?? Math.floor(Date.now() / 1000);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(opts.secret ?? SIGNING_SECRET, raw, stamp), ...opts.headers };
    return s.call('POST', path, { as: null, raw, headers });
  }

  /** A block_actions payload as Slack documents it, for a click on one of our buttons. */
  function click(userId: string, runId: string, actionId: 'itw_approve' | 'itw_reject', n = ++seq) {
    return {
      payload: JSON.stringify({
        type: 'block_actions', api_app_id: 'A0KRD7HC3', token: 'verification-token-unused', trigger_id: `1000.${n}.abc`,
        user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0TEAM' }, team: { id: 'T0TEAM', domain: 'ops' },
        container: { type: 'message', message_ts: '1712345678.000200', channel_id: 'C0OPS', is_ephemeral: false },
        channel: { id: 'C0OPS', name: 'ops' }, response_url: `${fake.url}/actions/T0TEAM/${n}/hook`,
        actions: [{ type: 'button', action_id: actionId, block_id: 'itw_approval', value: runId, style: actionId === 'itw_approve' ? 'primary' : 'danger', text: { type: 'plain_text', text: 'Approve' }, action_ts: '1712345690.1' }],
      }),
    };
  }

  /** A slash command request body as Slack documents it. */
  function command(userId: string, text: string, n = ++seq) {
    return {
      token: 'verification-token-unused', team_id: 'T0TEAM', team_domain: 'ops', channel_id: 'C0OPS', channel_name: 'ops', user_id: userId, user_name: userId.toLowerCase(),
      command: '/itw', text, api_app_id: 'A0KRD7HC3', is_enterprise_install: 'false', response_url: `${fake.url}/commands/T0TEAM/${n}/hook`, trigger_id: `2000.${n}.def`,
    };
  }

  async function waitingInSlack(channel = '#ops') {
    const wf = await s.call('POST', '/automation/workflows', {
      as: 'editor',
      body: {
        name: `Guarded restart ${++seq}`,
        nodes: [
          { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
          { id: 'ask', node_type: 'approval', config: { message: 'Restart <!channel> {{ $trigger.service }}?', slack_channel: channel, timeout_seconds: 3600 } },
          { id: 'restart', node_type: 'action', config: { action_type: 'log', message: 'restarting' } },
        ],
        edges: [{ source_node_id: 'start', target_node_id: 'ask' }, { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'restart' }],
      },
    });
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body: { input_data: { service: 'nginx' } } });
    const executionId = String(run.body.id);
    await untilStatus(s, executionId, (st) => st === 'waiting');
    const runId = String((await s.call('GET', `/automation/approvals?execution_id=${executionId}`)).body.items[0].run_id);
    const posted = await eventually('the approval posted to Slack', () => Promise.resolve(bodies(fake, '/api/chat.postMessage').find((b) => JSON.stringify(b).includes(runId))), (b) => b !== undefined);
    return { executionId, runId, posted: posted! };
  }

  it('posts the approval with buttons, a click approves as the mapped user, and the message shows the outcome', async () => {
    const { executionId, runId, posted } = await waitingInSlack();
    expect(posted).toMatchObject({ channel: '#ops', text: 'Approval needed: Restart &lt;!channel&gt; nginx?' });
    const actions = (posted['blocks'] as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([['itw_approve', runId], ['itw_reject', runId]]);

    const before = fake.requests.filter((r) => r.url === '/api/chat.update').length;
    const r = await signed('/slack/interactions', click('U0ALICE', runId, 'itw_approve'));
    expect(r.status).toBe(200);
    const done = await untilStatus(s, executionId);
    expect(done.body.status).toBe('completed');
    expect(done.body.nodes.find((n: { node_id: string }) => n.node_id === 'ask').output).toMatchObject({ decision: 'approved', by: 'alice' });
    const audit = (await s.call('GET', '/automation/admin/audit?limit=200')).body.items as Array<{ action: string; actor: string; resource_id: string; details: Record<string, unknown> }>;
    expect(audit.find((e) => e.action === 'approval.answered' && e.resource_id === runId)).toMatchObject({ actor: 'user:alice', details: { via: 'slack', decision: 'approved', slack_user_id: 'U0ALICE' } });
    const update = await eventually('the message rewritten', () => Promise.resolve(fake.requests.filter((x) => x.url === '/api/chat.update').slice(before)), (u) => u.length > 0);
    const body = JSON.parse(update[0]!.body) as { channel: string; ts: string; text: string; blocks: Array<{ type: string }> };
    expect(body).toMatchObject({ channel: 'C0OPS', ts: '1712345678.000200' });
    expect(body.text).toContain('Approved by alice');
    expect(body.blocks.map((b) => b.type)).not.toContain('actions');

    // A second click, by the same or anyone: the first answer stands, the clicker is told privately.
    expect((await signed('/slack/interactions', click('U0ALICE', runId, 'itw_reject'))).status).toBe(200);
    const told = await eventually('the late clicker told', () => Promise.resolve(bodies(fake, '/actions/').filter((b) => String(b['text']).includes('already answered'))), (b) => b.length > 0);
    expect(told[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect((await untilStatus(s, executionId)).body.nodes.find((n: { node_id: string }) => n.node_id === 'ask').output.decision).toBe('approved');
  });

  it('an answer in the UI first wins: the Slack message shows it, a later click changes nothing', async () => {
    const { executionId, runId } = await waitingInSlack('C0OPS');
    const before = fake.requests.filter((r) => r.url === '/api/chat.update').length;
    expect((await s.call('POST', `/automation/approvals/${runId}/reject`, { as: 'operator', body: { comment: 'not now' } })).status).toBe(200);
    const update = await eventually('the message rewritten', () => Promise.resolve(fake.requests.filter((x) => x.url === '/api/chat.update').slice(before)), (u) => u.length > 0);
    expect(JSON.parse(update[0]!.body).text).toContain('Rejected by test operator');
    expect((await signed('/slack/interactions', click('U0ALICE', runId, 'itw_approve'))).status).toBe(200);
    await eventually('the clicker told', () => Promise.resolve(bodies(fake, '/actions/').filter((b) => String(b['text']).includes('already answered')).length), (n) => n >= 1);
    const done = await untilStatus(s, executionId);
    expect(done.body.nodes.find((n: { node_id: string }) => n.node_id === 'ask').output).toMatchObject({ decision: 'rejected', by: 'test operator' });
  });

  it('an execution cancelled while its approval waits: the message says so and loses its buttons', async () => {
    const { executionId } = await waitingInSlack();
    const before = fake.requests.filter((r) => r.url === '/api/chat.update').length;
    expect((await s.call('POST', `/automation/executions/${executionId}/cancel`, { as: 'operator' })).status).toBeLessThan(300);
    const update = await eventually('the message rewritten', () => Promise.resolve(fake.requests.filter((x) => x.url === '/api/chat.update').slice(before)), (u) => u.length > 0);
    const body = JSON.parse(update[0]!.body) as { text: string; blocks: Array<{ type: string }> };
    expect(body.text).toContain('cancelled');
    expect(body.blocks.map((b) => b.type)).not.toContain('actions');
  });

  it('attacker: unsigned, wrongly signed, stale or replayed interactions are 401 and answer nothing', async () => {
    const { runId } = await waitingInSlack();
    const form = click('U0ALICE', runId, 'itw_approve');
    const raw = new URLSearchParams(form).toString();
    const none = await s.call('POST', '/slack/interactions', { as: null, raw, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body.detail).toContain('X-Slack-Signature');
    expect((await signed('/slack/interactions', form, { secret: 'not the secret' })).status).toBe(401);
    const stale = await signed('/slack/interactions', form, { stamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toContain('300 seconds');
    // The same signed bytes twice: the second is a replay.
    const stamp = Math.floor(Date.now() / 1000);
    const unmapped = click('U0NOBODY', runId, 'itw_approve');
    expect((await signed('/slack/interactions', unmapped, { stamp })).status).toBe(200);
    const replay = await signed('/slack/interactions', unmapped, { stamp });
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toContain('replay');
    expect((await s.call('GET', '/automation/approvals')).body.items.map((a: { run_id: string }) => a.run_id)).toContain(runId);
    const bad = await signed('/slack/interactions', { payload: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'payload' })]);
  });

  it('attacker: a Slack user not mapped, or mapped to a viewer, cannot answer', async () => {
    const { runId } = await waitingInSlack();
    expect((await signed('/slack/interactions', click('U0NOBODY', runId, 'itw_approve'))).status).toBe(200);
    expect((await signed('/slack/interactions', click('U0VERA', runId, 'itw_approve'))).status).toBe(200);
    const told = await eventually('both told', () => Promise.resolve(bodies(fake, '/actions/').map((b) => String(b['text']))), (t) => t.some((x) => x.includes('not linked')) && t.some((x) => x.includes('cannot approve')));
    expect(told.filter((t) => t.includes('cannot approve')).at(-1)).toContain('vera');
    const waiting = (await s.call('GET', '/automation/approvals')).body.items.map((a: { run_id: string }) => a.run_id);
    expect(waiting).toContain(runId);
    // A response_url on a host the Slack credential is not bound to gets nothing from us.
    const elsewhere = await httpFixture((_req, res) => json(res, 200, { ok: true }));
    try {
      const payload = JSON.parse(click('U0NOBODY', runId, 'itw_approve').payload) as Record<string, unknown>;
      const redirected = { payload: JSON.stringify({ ...payload, response_url: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/steal` }) };
      expect((await signed('/slack/interactions', redirected)).status).toBe(200);
      await eventually('the refusal audited', async () => (await s.call('GET', '/automation/admin/audit?limit=200')).body.items.filter((e: { action: string }) => e.action === 'credential.host_denied').length, (n) => n > 0);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
    const audit = await s.call('GET', '/automation/admin/audit?limit=200');
    const refusals = (audit.body.items as Array<{ action: string; actor: string }>).filter((e) => e.action === 'slack.refused').map((e) => e.actor);
    expect(refusals).toEqual(expect.arrayContaining(['slack:U0NOBODY', 'slack:U0VERA']));
  });

  describe('/itw run', () => {
    let echoId = '';
    beforeAll(async () => {
      const wf = await s.call('POST', '/automation/workflows', {
        as: 'editor',
        body: {
          name: 'Echo args',
          nodes: [
            { id: 'slash', node_type: 'trigger', config: { trigger_type: 'slack_command', name: 'Echo-Args' } },
            { id: 'echo', node_type: 'transform', config: { expression: '{"args": $trigger.args, "by": $trigger.user}' } },
          ],
          edges: [{ source_node_id: 'slash', target_node_id: 'echo' }],
        },
      });
      echoId = String(wf.body.id);
      expect((await s.call('POST', `/automation/workflows/${echoId}/activate`, { as: 'editor' })).status).toBe(200);
    });

    it('starts the workflow for a mapped operator and replies in the channel with the result', async () => {
      const r = await signed('/slack/commands', command('U0ALICE', 'run echo-args service=web note="disk full"'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/^alice started \*echo-args\* \(exec_/) });
      const result = await eventually('the result in the channel', () => Promise.resolve(bodies(fake, '/commands/').filter((b) => String(b['text']).includes('Echo args') || String(b['text']).includes('echo-args'))), (b) => b.length > 0);
      expect(result[0]).toMatchObject({ response_type: 'in_channel' });
      expect(String(result[0]!['text'])).toContain('completed');
      expect(String(result[0]!['text'])).toContain('"note": "disk full"');
      const list = await s.call('GET', `/automation/executions?workflow_id=${echoId}`);
      const exec = await untilStatus(s, String(list.body.items[0].id));
      expect(exec.body.output).toEqual({ echo: { args: { service: 'web', note: 'disk full' }, by: 'alice' } });
    });

    it('attacker: hostile key=value text arrives as data, never as code', async () => {
      const hostile = `run echo-args cmd=$(id);rm q="'; DROP TABLE users;--" t={{$vars}} __proto__=polluted`;
      expect((await signed('/slack/commands', command('U0ALICE', hostile))).status).toBe(200);
      const exec = await eventually('the hostile run done', async () => {
        const items = (await s.call('GET', `/automation/executions?workflow_id=${echoId}`)).body.items as Array<{ id: string; status: string }>;
        const done = await Promise.all(items.map(async (i) => (await s.call('GET', `/automation/executions/${i.id}`)).body));
        return done.find((e: { output?: { echo?: { args?: Record<string, string> } } }) => e.output?.echo?.args?.['cmd'] !== undefined);
      }, (e) => e !== undefined);
      expect(exec.output.echo.args).toEqual({ cmd: '$(id);rm', q: "'; DROP TABLE users;--", t: '{{$vars}}', ['__proto__']: 'polluted' });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      // The users table is still there: the SQL-looking value was never SQL.
      expect((await s.call('GET', '/automation/admin/users')).body.items.length).toBeGreaterThanOrEqual(3);
    });

    it('attacker: unmapped users, viewers, unknown or non-Slack workflows and bad signatures start nothing', async () => {
      const count = async () => (await s.call('GET', '/automation/executions?limit=200')).body.items.length as number;
      const before = await count();
      expect((await signed('/slack/commands', command('U0NOBODY', 'run echo-args'))).body.text).toContain('not linked');
      expect((await signed('/slack/commands', command('U0VERA', 'run echo-args'))).body.text).toContain('vera is a viewer');
      // A workflow without a slack_command trigger cannot be run from Slack, whatever its name.
      expect((await signed('/slack/commands', command('U0ALICE', 'run Guarded'))).body.text).toContain('No active workflow');
      expect((await signed('/slack/commands', command('U0ALICE', 'run echo-args 9x=1'))).body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('not key=value') });
      expect((await signed('/slack/commands', command('U0ALICE', 'run echo-args'), { secret: 'guessed' })).status).toBe(401);
      const stale = await signed('/slack/commands', command('U0ALICE', 'run echo-args'), { stamp: Math.floor(Date.now() / 1000) - 301 });
      expect(stale.status).toBe(401);
      const noUser = await signed('/slack/commands', { ...command('U0ALICE', 'run echo-args'), user_id: '' });
      expect(noUser.status).toBe(400);
      expect(noUser.body.errors).toEqual([expect.objectContaining({ path: 'user_id' })]);
      expect(await count()).toBe(before);
    });
  });
});

describe.each(DIALECTS)('ChatOps not (well) configured ($name)', (dialect) => {
  it('without ITW_SLACK_CREDENTIAL /slack/* is 404; naming a credential that is not there is 503 without details', async () => {
    const off = await startApiServer(dialect);
    const broken = await startApiServer(dialect, { config: { slackCredential: 'no-such-credential' } });
    try {
      const body = new URLSearchParams({ user_id: 'U0ALICE', text: 'run x' }).toString();
      const headers = { 'content-type': 'application/x-www-form-urlencoded', ...slackSignatureHeaders(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) };
      const a = await off.call('POST', '/slack/commands', { as: null, raw: body, headers });
      expect(a.status).toBe(404);
      expect(a.body.detail).toContain('ITW_SLACK_CREDENTIAL');
      const b = await broken.call('POST', '/slack/commands', { as: null, raw: body, headers });
      expect(b.status).toBe(503);
      expect(b.headers.get('content-type')).toContain('application/problem+json');
      expect(b.body.detail).toBe('Slack ChatOps is misconfigured on this server (see its log)');
    } finally {
      await off.close();
      await broken.close();
    }
  });
});
