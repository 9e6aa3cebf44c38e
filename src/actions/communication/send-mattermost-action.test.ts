import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { sendMattermostAction } from './send-mattermost-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendMattermostAction.run>[0]['params'];

const KEY = 'xf3hde8rkf8ajpbzqc1brurqso';
const appError = (id: string, message: string, status: number) => ({ id, message, detailed_error: '', request_id: 'rq1', status_code: status });

/** Incoming webhook: 200 "ok"; AppError JSON for an unknown hook, empty text or a refused channel override. */
function mattermost(req: Recorded, res: ServerResponse): void {
  if (req.url === '/hooks/down0000000000000000000000') return json(res, 503, appError('api.context.server_busy.app_error', 'Server is busy', 503));
  if (req.url !== `/hooks/${KEY}`) return json(res, 400, appError('web.incoming_webhook.invalid.app_error', 'Invalid webhook.', 400));
  const body = JSON.parse(req.body) as { text?: string; attachments?: unknown[]; channel?: string };
  if (!body.text && !body.attachments?.length) return json(res, 400, appError('web.incoming_webhook.text.app_error', 'No text specified.', 400));
  if (body.channel === 'secret-team') return json(res, 403, appError('web.incoming_webhook.channel_locked.app_error', 'This webhook is not permitted to post to the requested channel.', 403));
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture(mattermost);
  creds = [
    { id: 'mm', type: 'mattermost', data: { webhook_url: `${api.url}/hooks/${KEY}` } },
    { id: 'gone', type: 'mattermost', data: { webhook_url: `${api.url}/hooks/deletedkey00000000000000000` } },
    { id: 'down', type: 'mattermost', data: { webhook_url: `${api.url}/hooks/down0000000000000000000000` } },
  ];
});
afterAll(() => api.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => sendMattermostAction.run({ ...ctx, params: nodeParams(sendMattermostAction, params) })) };
}
const last = () => api.requests[api.requests.length - 1]!;

describe('send_mattermost', () => {
  it('posts text, channel, username and attachments as JSON', async () => {
    const attachments = [{ fallback: 'db1 down', color: '#FF0000', title: 'db1 down', fields: [{ title: 'severity', value: 'critical', short: true }] }];
    const { result, lines } = run({ credential_id: 'mm', text: '#### Incident opened', channel: 'ops-alerts', username: 'itw', attachments });
    const out = await result;
    expect(Value.Check(sendMattermostAction.output, out)).toBe(true);
    expect(out).toEqual({ ok: true });
    expect(last()).toMatchObject({ method: 'POST', url: `/hooks/${KEY}`, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(last().body)).toEqual({ text: '#### Incident opened', channel: 'ops-alerts', username: 'itw', attachments });
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it('fails with Mattermost’s AppError message and id, never the hook key; 503 is retryable', async () => {
    const gone = (await run({ credential_id: 'gone', text: 'x' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(gone).toBeInstanceOf(NonRetryableError);
    expect(gone).toMatchObject({ code: 'mattermost_invalid', message: 'Mattermost webhook answered HTTP 400: Invalid webhook. (web.incoming_webhook.invalid.app_error)' });
    expect(gone.message).not.toContain('deletedkey');
    await expect(run({ credential_id: 'mm', text: 'x', channel: 'secret-team' }).result).rejects.toMatchObject({ code: 'mattermost_auth', retryable: false });
    await expect(run({ credential_id: 'down', text: 'x' }).result).rejects.toMatchObject({ code: 'mattermost_unavailable', retryable: true });
  });

  it('refuses an empty message before sending, and sends nothing where egress is refused', async () => {
    const before = api.requests.length;
    await expect(run({ credential_id: 'mm' }).result).rejects.toMatchObject({ code: 'invalid_params', details: { path: '/text' } });
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'mm', text: 'x' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(api.requests).toHaveLength(before);
  });

  it.each([
    [{ channel: 'Town Square' }, '/channel'],
    [{ attachments: [{ color: 'red' }] }, '/attachments/0/color'],
    [{ icon_url: 'file:///etc/passwd' }, '/icon_url'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(sendMattermostAction.params, { credential_id: 'mm', text: 'x', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the URL', () => {
    expect(sendMattermostAction.plan?.(testContext({ credential_id: 'mm', text: 'hi', channel: '@alice' }).ctx)).toBe('post to Mattermost @alice: "hi"');
  });
});
