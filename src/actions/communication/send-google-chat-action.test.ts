import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { sendGoogleChatAction } from './send-google-chat-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendGoogleChatAction.run>[0]['params'];

const KEY = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI';
const TOKEN = 'tQXn9x0oZ4GkQsh5ktpQ3AzO8bWsk8kxIbmf3vSyxyU';
const SPACE = '/v1/spaces/AAAAxyz123/messages';
const gerror = (res: ServerResponse, code: number, status: string, message: string) => json(res, code, { error: { code, message, status } });

/** spaces.messages.create through a webhook: key and token in the query; Google API error envelopes. */
function chat(req: Recorded, res: ServerResponse): void {
  const url = new URL(req.url, 'http://x');
  if (url.pathname !== SPACE) return gerror(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
  if (url.searchParams.get('key') !== KEY || url.searchParams.get('token') !== TOKEN) return gerror(res, 403, 'PERMISSION_DENIED', 'Invalid token.');
  if (req.headers['content-type'] !== 'application/json; charset=UTF-8') return gerror(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  const body = JSON.parse(req.body) as { text?: string };
  if (body.text === 'too many') return gerror(res, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
  const thread = url.searchParams.get('threadKey');
  json(res, 200, { name: 'spaces/AAAAxyz123/messages/m1.m1', text: body.text, thread: { name: `spaces/AAAAxyz123/threads/${thread ?? 't-new'}` } });
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture(chat);
  creds = [
    { id: 'space', type: 'google_chat', data: { webhook_url: `${api.url}${SPACE}?key=${KEY}&token=${TOKEN}` } },
    { id: 'revoked', type: 'google_chat', data: { webhook_url: `${api.url}${SPACE}?key=${KEY}&token=revokedTokenRevokedToken` } },
  ];
});
afterAll(() => api.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => sendGoogleChatAction.run({ ...ctx, params: nodeParams(sendGoogleChatAction, params) })) };
}
const last = () => api.requests[api.requests.length - 1]!;

describe('send_google_chat', () => {
  it('posts text to the space webhook', async () => {
    const { result, lines } = run({ credential_id: 'space', text: '*db1* is down' });
    const out = await result;
    expect(Value.Check(sendGoogleChatAction.output, out)).toBe(true);
    expect(out).toEqual({ message_name: 'spaces/AAAAxyz123/messages/m1.m1', thread_name: 'spaces/AAAAxyz123/threads/t-new' });
    expect(last()).toMatchObject({ method: 'POST', url: `${SPACE}?key=${KEY}&token=${TOKEN}` });
    expect(JSON.parse(last().body)).toEqual({ text: '*db1* is down' });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('adds a cardsV2 card and threads by key', async () => {
    await run({
      credential_id: 'space', text: 'Incident', card_title: 'db1 down', card_subtitle: 'critical', thread_key: 'inc-42',
      facts: [{ label: 'Service', value: 'postgres' }], buttons: [{ text: 'Runbook', url: 'https://runbooks.example.com/db1' }],
    }).result;
    const url = new URL(last().url, 'http://x');
    expect(url.searchParams.get('threadKey')).toBe('inc-42');
    expect(url.searchParams.get('messageReplyOption')).toBe('REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    expect(JSON.parse(last().body)).toEqual({
      text: 'Incident',
      cardsV2: [{
        cardId: 'itw',
        card: {
          header: { title: 'db1 down', subtitle: 'critical' },
          sections: [{ widgets: [
            { decoratedText: { topLabel: 'Service', text: 'postgres' } },
            { buttonList: { buttons: [{ text: 'Runbook', onClick: { openLink: { url: 'https://runbooks.example.com/db1' } } }] } },
          ] }],
        },
      }],
    });
  });

  it('fails with Google’s status and message, never the key or token; 429 is retryable', async () => {
    const denied = (await run({ credential_id: 'revoked', text: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(denied).toBeInstanceOf(NonRetryableError);
    expect(denied).toMatchObject({ code: 'google_chat_auth', message: 'Google Chat answered HTTP 403: PERMISSION_DENIED: Invalid token.' });
    expect(JSON.stringify({ m: denied.message, d: denied.details })).not.toMatch(/revokedToken|AIzaSy/);
    const busy = run({ credential_id: 'space', text: 'too many' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'google_chat_rate_limited' });
  });

  it('sends nothing where the egress policy refuses', async () => {
    const before = api.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'space', text: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(api.requests).toHaveLength(before);
  });

  it.each([
    [{ text: '' }, '/text'],
    [{ buttons: [{ text: 'x', url: 'javascript:alert(1)' }] }, '/buttons/0/url'],
    [{ cardsV2: [] }, '/cardsV2'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(sendGoogleChatAction.params, { credential_id: 'space', text: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the URL', () => {
    expect(sendGoogleChatAction.plan?.(testContext({ credential_id: 'space', text: 'hi', thread_key: 'inc-42', card_title: 'db1' }).ctx)).toBe(
      'post to a Google Chat space (thread inc-42): "hi" with card "db1"',
    );
  });
});
