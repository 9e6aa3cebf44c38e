import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { sendTelegramAction } from './send-telegram-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendTelegramAction.run>[0]['params'];

const TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const fail = (res: ServerResponse, code: number, description: string, extra: Record<string, unknown> = {}) => json(res, code, { ok: false, error_code: code, description, ...extra });

/** Bot API: POST /bot<token>/sendMessage → {ok:true, result: Message}, or {ok:false, error_code, description, parameters?}. */
function telegram(req: Recorded, res: ServerResponse): void {
  const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url);
  if (!m || m[1] !== TOKEN) return fail(res, m ? 401 : 404, m ? 'Unauthorized' : 'Not Found');
  if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') return fail(res, 400, 'Bad Request: message text is empty');
  const body = JSON.parse(req.body) as { chat_id?: number | string; text?: string };
  if (body.chat_id === 42) return fail(res, 429, 'Too Many Requests: retry after 5', { parameters: { retry_after: 5 } });
  if (body.chat_id === 7) return fail(res, 403, 'Forbidden: bot was blocked by the user');
  if (body.chat_id !== -1001234567890 && body.chat_id !== '@itw_alerts') return fail(res, 400, 'Bad Request: chat not found');
  json(res, 200, { ok: true, result: { message_id: 321, date: 1733392800, chat: { id: -1001234567890, type: 'channel' }, text: body.text } });
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture(telegram);
  creds = [
    { id: 'bot', type: 'telegram', data: { bot_token: TOKEN, base_url: api.url } },
    { id: 'revoked', type: 'telegram', data: { bot_token: '110201543:revokedrevokedrevokedrevoked', base_url: api.url } },
    { id: 'bent', type: 'telegram', data: { bot_token: '1:x/../../admin?', base_url: api.url } },
  ];
});
afterAll(() => api.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => sendTelegramAction.run({ ...ctx, params: nodeParams(sendTelegramAction, params) })) };
}
const last = () => api.requests[api.requests.length - 1]!;

describe('send_telegram', () => {
  it('calls sendMessage with the token in the path and returns the message id; the token is in neither output nor log', async () => {
    const { result, lines } = run({ credential_id: 'bot', chat_id: -1001234567890, text: '<b>db1</b> down', parse_mode: 'HTML', disable_notification: true });
    const out = await result;
    expect(Value.Check(sendTelegramAction.output, out)).toBe(true);
    expect(out).toEqual({ message_id: 321, chat_id: -1001234567890 });
    expect(last()).toMatchObject({ method: 'POST', url: `/bot${TOKEN}/sendMessage`, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(last().body)).toEqual({ chat_id: -1001234567890, text: '<b>db1</b> down', parse_mode: 'HTML', disable_notification: true });
    expect(JSON.stringify({ out, lines })).not.toContain('AAHdqTcv');
  });

  it('takes a @channelusername', async () => {
    await expect(run({ credential_id: 'bot', chat_id: '@itw_alerts', text: 'hi' }).result).resolves.toMatchObject({ message_id: 321 });
  });

  it.each([
    ['bot', -5, 'telegram_invalid', 'Telegram answered HTTP 400: Bad Request: chat not found'],
    ['bot', 7, 'telegram_auth', 'Telegram answered HTTP 403: Forbidden: bot was blocked by the user'],
    ['revoked', -1001234567890, 'telegram_auth', 'Telegram answered HTTP 401: Unauthorized'],
  ] as const)('fails %s → chat %s with %s and Telegram’s description, never the token', async (credential, chat, code, message) => {
    const err = (await run({ credential_id: credential, chat_id: chat, text: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code, message });
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toMatch(/AAHdqTcv|revokedrevoked/);
  });

  it('retries 429 after parameters.retry_after', async () => {
    const busy = run({ credential_id: 'bot', chat_id: 42, text: 'x' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'telegram_rate_limited', retryAfterMs: 5000 });
  });

  it('masks the token in a network error, whose message names the request path', async () => {
    const closed = await httpFixture(() => undefined);
    await closed.close();
    const { ctx } = testContext({ credential_id: 'c', chat_id: 1, text: 'x' }, [{ id: 'c', type: 'telegram', data: { bot_token: TOKEN, base_url: closed.url } }]);
    const err = (await sendTelegramAction.run(ctx).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    expect(err.message).toBe(`network error on POST ${closed.url}/bot[redacted]/sendMessage: ECONNREFUSED`);
  });

  it('refuses a token that would bend the request path, and sends nothing where egress is refused', async () => {
    const before = api.requests.length;
    const bent = (await run({ credential_id: 'bent', chat_id: 1, text: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(bent).toMatchObject({ code: 'credential_invalid', message: 'credential bent (telegram) has a bot_token that is not of the form <bot id>:<secret>' });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'bot', chat_id: 1, text: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(api.requests).toHaveLength(before);
  });

  it.each([
    [{ chat_id: 'general' }, '/chat_id'],
    [{ text: '' }, '/text'],
    [{ parse_mode: 'markdown' }, '/parse_mode'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(sendTelegramAction.params, { credential_id: 'bot', chat_id: 1, text: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the token', () => {
    expect(sendTelegramAction.plan?.(testContext({ credential_id: 'bot', chat_id: '@itw_alerts', text: 'db1 down' }).ctx)).toBe('send a Telegram message to @itw_alerts: "db1 down"');
  });
});
