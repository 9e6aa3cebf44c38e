import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { sendDiscordAction } from './send-discord-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendDiscordAction.run>[0]['params'];

const TOKEN = 'dIsCoRdWeBhOoKtOkEn_0123456789abcdef';
const HOOK = `/api/webhooks/1180000000000000001/${TOKEN}`;

/** Execute Webhook: ?wait=true → 200 message object, else 204; JSON errors {message, code}; 429 {retry_after (s), global}. */
function discord(req: Recorded, res: ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/api/webhooks/1180000000000000002/busytoken000000000') return json(res, 429, { message: 'You are being rate limited.', retry_after: 2.5, global: false });
  if (url.pathname !== HOOK) return json(res, 404, { message: 'Unknown Webhook', code: 10015 });
  if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
  const body = JSON.parse(req.body) as { content?: string; embeds?: unknown[] };
  if (!body.content && !body.embeds?.length) return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
  if (url.searchParams.get('wait') !== 'true') return void res.writeHead(204).end();
  json(res, 200, { id: '1180000000000000100', type: 0, channel_id: url.searchParams.get('thread_id') ?? '1180000000000000050', content: body.content ?? '' });
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture(discord);
  creds = [
    { id: 'hook', type: 'discord', data: { webhook_url: `${api.url}${HOOK}` } },
    { id: 'gone', type: 'discord', data: { webhook_url: `${api.url}/api/webhooks/1180000000000000009/deletedtoken0000000` } },
    { id: 'busy', type: 'discord', data: { webhook_url: `${api.url}/api/webhooks/1180000000000000002/busytoken000000000` } },
  ];
});
afterAll(() => api.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => sendDiscordAction.run({ ...ctx, params: nodeParams(sendDiscordAction, params) })) };
}
const last = () => api.requests[api.requests.length - 1]!;

describe('send_discord', () => {
  it('posts content, username and embeds with ?wait=true and returns the message id', async () => {
    const embeds = [{ title: 'db1 down', description: 'no answer', color: 15158332, fields: [{ name: 'severity', value: 'critical', inline: true }] }];
    const { result, lines } = run({ credential_id: 'hook', content: 'Incident opened', username: 'ITW', embeds });
    const out = await result;
    expect(Value.Check(sendDiscordAction.output, out)).toBe(true);
    expect(out).toEqual({ message_id: '1180000000000000100', channel_id: '1180000000000000050' });
    expect(last()).toMatchObject({ method: 'POST', url: `${HOOK}?wait=true` });
    expect(JSON.parse(last().body)).toEqual({ content: 'Incident opened', username: 'ITW', embeds, allowed_mentions: { parse: [] } });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('posts into a thread', async () => {
    await expect(run({ credential_id: 'hook', content: 'x', thread_id: '1180000000000000077' }).result).resolves.toMatchObject({ channel_id: '1180000000000000077' });
    expect(last().url).toBe(`${HOOK}?wait=true&thread_id=1180000000000000077`);
  });

  it('a hostile "@everyone" in trigger data pings nobody unless mentions are allowed', async () => {
    await run({ credential_id: 'hook', content: '@everyone the build failed: <@&123>' }).result;
    expect(JSON.parse(last().body)).toMatchObject({ allowed_mentions: { parse: [] } });
    await run({ credential_id: 'hook', content: '@here deploy done', allow_mentions: true }).result;
    expect(JSON.parse(last().body)).toMatchObject({ allowed_mentions: { parse: ['everyone', 'roles', 'users'] } });
  });

  it('fails on an unknown webhook with Discord’s message, never the token; 429 waits retry_after', async () => {
    const gone = (await run({ credential_id: 'gone', content: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(gone).toBeInstanceOf(NonRetryableError);
    expect(gone).toMatchObject({ code: 'discord_not_found', message: 'Discord webhook answered HTTP 404: Unknown Webhook (code 10015)' });
    expect(JSON.stringify({ m: gone.message, d: gone.details })).not.toContain('deletedtoken');
    const busy = run({ credential_id: 'busy', content: 'x' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'discord_rate_limited', retryAfterMs: 2500 });
  });

  it('refuses an empty message before sending, and sends nothing where egress is refused', async () => {
    const before = api.requests.length;
    await expect(run({ credential_id: 'hook' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/content' } });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'hook', content: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(api.requests).toHaveLength(before);
  });

  it('schema takes embeds with an ISO timestamp', () => {
    expect([...Value.Errors(sendDiscordAction.params, { credential_id: 'hook', embeds: [{ title: 't', timestamp: '2026-12-05T10:00:00Z' }] })]).toEqual([]);
  });

  it.each([
    [{ embeds: [{ timestamp: 'now' }] }, '/embeds/0/timestamp'],
    [{ content: 'x'.repeat(2001) }, '/content'],
    [{ embeds: [{ color: -1 }] }, '/embeds/0/color'],
    [{ thread_id: '1&wait=false' }, '/thread_id'],
    [{ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, '/embeds'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(sendDiscordAction.params, { credential_id: 'hook', content: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the URL', () => {
    expect(sendDiscordAction.plan?.(testContext({ credential_id: 'hook', content: 'Incident opened' }).ctx)).toBe('post to a Discord webhook: "Incident opened"');
  });
});
