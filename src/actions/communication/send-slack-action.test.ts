import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { sendSlackAction } from './send-slack-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendSlackAction.run>[0]['params'];

const BOT_TOKEN = 'xoxb-1111-2222-good-bot-token';
const HOOK = '/services/T0001/B0001/goodhooksecret1234';
// Webhook paths of the fake, each answering as Slack does for that condition.
const HOOK_FAILURES: Record<string, [number, string, Record<string, string>?]> = {
  '/services/T0001/B0002/revokedsecret5678': [403, 'invalid_token'],
  '/services/T0001/B0003/gonechannelsecret': [404, 'channel_not_found'],
  '/services/T0001/B0004/archivedsecret999': [410, 'channel_is_archived'],
  '/services/T0001/B0005/busysecret0000001': [429, 'rate_limited', { 'retry-after': '30' }],
  '/services/T0001/B0006/downsecret0000001': [503, '<html>Service Unavailable</html>'],
};
const CHANNELS: Record<string, string> = { '#incidents': 'C0INCIDENT', C0OPS: 'C0OPS' };

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html', ...headers }).end(body);
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Incoming webhooks: JSON {text, blocks?} → 200 `ok`, or a status with a plain-text error code. */
function webhook(req: Recorded, res: ServerResponse): void {
  const failure = HOOK_FAILURES[req.url];
  if (failure) return text(res, failure[0], failure[1], failure[2]);
  if (req.url !== HOOK) return text(res, 404, 'no_service');
  const payload = parse(req.body);
  if (req.method !== 'POST' || !req.headers['content-type']?.startsWith('application/json') || !payload) return text(res, 400, 'invalid_payload');
  if (!payload['text'] && !payload['blocks']) return text(res, 400, 'no_text');
  text(res, 200, 'ok');
}

/** chat.postMessage: HTTP 200 and `ok`, whatever happened. */
function postMessage(req: Recorded, res: ServerResponse): void {
  const payload = parse(req.body);
  if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
  if (!req.headers['content-type']?.startsWith('application/json') || !payload) return json(res, 200, { ok: false, error: 'invalid_json' });
  if (payload['channel'] === '#busy') return json(res, 200, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
  const channel = CHANNELS[String(payload['channel'])];
  if (!channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
  if (!payload['text'] && !payload['blocks']) return json(res, 200, { ok: false, error: 'no_text' });
  json(res, 200, { ok: true, channel, ts: '1700000000.000100', message: { text: payload['text'], type: 'message' } });
}

let slack: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  slack = await httpFixture((req, res) => (req.url === '/api/chat.postMessage' ? postMessage(req, res) : webhook(req, res)));
  const hook = (id: string, path: string): ResolvedCredential => ({ id, type: 'slack', data: { webhook_url: `${slack.url}${path}` } });
  creds = [
    hook('hook', HOOK),
    ...Object.keys(HOOK_FAILURES).map((path) => hook(`hook:${path}`, path)),
    { id: 'bot', type: 'slack', data: { bot_token: BOT_TOKEN, base_url: `${slack.url}/` } },
    { id: 'bad-bot', type: 'slack', data: { bot_token: 'xoxb-revoked-token-0000', base_url: slack.url } },
    { id: 'empty', type: 'slack', data: { bot_token: '' } },
    { id: 'twilio', type: 'twilio', data: { account_sid: 'AC1', auth_token: 'secret' } },
  ];
});

afterAll(() => slack.close());

function run(params: Params) {
  const { ctx, lines } = testContext(params, creds);
  return { lines, result: sendSlackAction.run(ctx) };
}

function last(): Recorded {
  return slack.requests[slack.requests.length - 1]!;
}

describe('send_slack through an incoming webhook', () => {
  it('posts the text as JSON and drops the channel (the seed example: message is an alias of text)', async () => {
    const { result, lines } = run({ credential_id: 'hook', channel: '#incidents', message: 'Critical incident detected' });
    expect(await result).toEqual({ ok: true });
    expect(last()).toMatchObject({ method: 'POST', url: HOOK, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(last().body)).toEqual({ text: 'Critical incident detected' });
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(lines[0]!.message).toMatch(/channel and thread_ts are ignored/);
  });

  it('sends blocks beside the fallback text, and takes the URL as a param', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Disk full* on db-1' } }];
    await expect(run({ webhook_url: `${slack.url}${HOOK}`, text: 'Disk full', blocks }).result).resolves.toEqual({ ok: true });
    expect(JSON.parse(last().body)).toEqual({ text: 'Disk full', blocks });
  });

  it.each([
    ['/services/T0001/B0002/revokedsecret5678', 'slack_invalid_token', false, undefined],
    ['/services/T0001/B0003/gonechannelsecret', 'slack_channel_not_found', false, undefined],
    ['/services/T0001/B0004/archivedsecret999', 'slack_channel_is_archived', false, undefined],
    ['/services/T0001/B0005/busysecret0000001', 'slack_rate_limited', true, 30_000],
    ['/services/T0001/B0006/downsecret0000001', 'slack_unavailable', true, undefined],
  ])('maps %s to %s without naming the secret URL', async (path, code, retryable, retryAfterMs) => {
    const err: unknown = await run({ credential_id: `hook:${path}`, text: 'hi' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(retryable ? RetryableError : NonRetryableError);
    expect(err).toMatchObject({ code, retryable });
    if (retryAfterMs !== undefined) expect(err).toMatchObject({ retryAfterMs });
    const message = (err as Error).message;
    expect(message).toMatch(/^Slack webhook answered HTTP \d{3}/);
    expect(message).not.toContain(path.split('/').pop());
  });

  it('reports an unreachable webhook as retryable, with the secret path masked', async () => {
    const closed = await httpFixture(() => undefined);
    await closed.close();
    const url = `${closed.url}/services/T0001/B0009/unreachablesecret`;
    const err: unknown = await run({ webhook_url: url, text: 'hi' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    expect((err as Error).message).toBe(`network error on POST ${closed.url}/[redacted]: ECONNREFUSED`);
  });
});

describe('send_slack with a bot token (chat.postMessage)', () => {
  it('posts channel, text and thread to /api/chat.postMessage with the bearer token', async () => {
    const { result, lines } = run({ credential_id: 'bot', channel: '#incidents', text: 'Critical incident detected', thread_ts: '1699999999.000200' });
    expect(await result).toEqual({ ok: true, channel: 'C0INCIDENT', ts: '1700000000.000100' });
    expect(last()).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    });
    expect(JSON.parse(last().body)).toEqual({ channel: '#incidents', text: 'Critical incident detected', thread_ts: '1699999999.000200' });
    expect(lines).toEqual([{ level: 'info', message: 'posted to Slack channel C0INCIDENT', data: { channel: 'C0INCIDENT', ts: '1700000000.000100' } }]);
  });

  it('fails on ok:false with the Slack error as code', async () => {
    const result = run({ credential_id: 'bot', channel: '#nowhere', text: 'hi' }).result;
    await expect(result).rejects.toBeInstanceOf(NonRetryableError);
    await expect(result).rejects.toMatchObject({ code: 'slack_channel_not_found', message: 'Slack chat.postMessage answered HTTP 200: channel_not_found' });
  });

  it('fails on a bad token without naming it', async () => {
    const err: unknown = await run({ credential_id: 'bad-bot', channel: '#incidents', text: 'hi' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_invalid_auth', retryable: false });
    expect(JSON.stringify({ message: (err as Error).message, details: (err as NonRetryableError).details })).not.toContain('xoxb-');
  });

  it('retries ratelimited after the Retry-After Slack sent', async () => {
    const result = run({ credential_id: 'bot', channel: '#busy', text: 'hi' }).result;
    await expect(result).rejects.toBeInstanceOf(RetryableError);
    await expect(result).rejects.toMatchObject({ code: 'slack_ratelimited', retryAfterMs: 7000 });
  });
});

describe('send_slack params', () => {
  it.each([
    [{ text: 5 }, '/text'],
    [{ text: '' }, '/text'],
    [{ blocks: [{ text: 'no type' }] }, '/blocks/0/type'],
    [{ thread_ts: 'yesterday' }, '/thread_ts'],
    [{ webhook_url: 'ftp://hooks.slack.com/x' }, '/webhook_url'],
    [{ chanel: '#typo' }, '/chanel'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(sendSlackAction.params, { credential_id: 'bot', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it.each([
    [{ credential_id: 'bot', channel: '#incidents' }, '/text'],
    [{ text: 'hi' }, '/credential_id'],
    [{ credential_id: 'hook', webhook_url: 'https://hooks.slack.com/services/x', text: 'hi' }, '/webhook_url'],
    [{ credential_id: 'bot', text: 'hi' }, '/channel'],
  ])('refuses %j at run time, naming %s', async (params, path) => {
    const sent = slack.requests.length;
    await expect(run(params).result).rejects.toMatchObject({ code: 'invalid_params', details: { path } });
    expect(slack.requests).toHaveLength(sent);
  });

  it('refuses a credential of another type, or one with neither webhook_url nor bot_token', async () => {
    await expect(run({ credential_id: 'twilio', text: 'hi' }).result).rejects.toMatchObject({ code: 'credential_type' });
    await expect(run({ credential_id: 'empty', text: 'hi' }).result).rejects.toMatchObject({
      code: 'credential_invalid',
      message: 'credential empty (slack) has neither webhook_url nor bot_token',
    });
  });
});

describe('send_slack plan', () => {
  it('names the channel and the start of the text, never the webhook URL', () => {
    const plan = (params: Params) => sendSlackAction.plan?.(testContext(params).ctx);
    expect(plan({ credential_id: 'c', channel: '#incidents', message: 'Critical incident detected' })).toBe(
      'post to Slack channel #incidents: "Critical incident detected"',
    );
    expect(plan({ webhook_url: `https://hooks.slack.com${HOOK}`, text: 'x'.repeat(100) })).toBe(`post to Slack incoming webhook: "${'x'.repeat(59)}…"`);
    expect(plan({ credential_id: 'c', blocks: [{ type: 'divider' }] })).toBe('post to Slack: 1 block(s)');
  });
});
