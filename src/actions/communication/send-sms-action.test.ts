import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { sendSmsAction } from './send-sms-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendSmsAction.run>[0]['params'];

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-0123456789abcdef';
const FROM = '+15005550006';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
// Twilio's magic test numbers: an invalid To, and two we make answer as an overloaded API would.
const INVALID_TO = '+15005550001';
const BUSY_TO = '+15005550009';
const DOWN_TO = '+15005550010';

function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

/** The Messages API as Twilio answers it: Basic auth, a form body, 201 with the message resource. */
function messagesApi(req: Recorded, res: ServerResponse): void {
  const path = /^\/2010-04-01\/Accounts\/(AC\w{32})\/Messages\.json$/.exec(req.url);
  if (req.method !== 'POST' || !path) return twilioError(res, 404, 20404, 'The requested resource was not found');
  if (req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}` || path[1] !== SID) {
    return twilioError(res, 401, 20003, 'Authenticate');
  }
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return twilioError(res, 400, 21602, 'Message body is required.');
  const form = new URLSearchParams(req.body);
  const to = form.get('To') ?? '';
  if (!form.get('Body')) return twilioError(res, 400, 21602, 'Message body is required.');
  if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
  if (!/^\+[1-9]\d{1,14}$/.test(to) || to === INVALID_TO) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (to === BUSY_TO) return twilioError(res, 429, 20429, 'Too Many Requests', { 'retry-after': '2' });
  if (to === DOWN_TO) return twilioError(res, 500, 20500, 'An internal server error has occurred');
  json(res, 201, {
    sid: 'SM0123456789abcdef0123456789abcdef',
    account_sid: SID,
    to,
    from: form.get('From'),
    messaging_service_sid: form.get('MessagingServiceSid'),
    body: form.get('Body'),
    status: form.get('MessagingServiceSid') ? 'accepted' : 'queued',
    error_code: null,
    error_message: null,
  });
}

let twilio: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  twilio = await httpFixture(messagesApi);
  const twilioCred = (id: string, data: Record<string, string>): ResolvedCredential => ({
    id,
    type: 'twilio',
    data: { account_sid: SID, auth_token: TOKEN, base_url: twilio.url, ...data },
  });
  creds = [
    twilioCred('twilio', { from: FROM }),
    twilioCred('no-sender', {}),
    twilioCred('both', { from: FROM, messaging_service_sid: SERVICE }),
    twilioCred('wrong-token', { from: FROM, auth_token: 'stale-token-fedcba9876543210' }),
  ];
});

afterAll(() => twilio.close());

function run(params: Params) {
  const { ctx, lines } = testContext(params, creds);
  return { lines, result: sendSmsAction.run(ctx) };
}

function last(): Recorded {
  return twilio.requests[twilio.requests.length - 1]!;
}

describe('send_sms', () => {
  it('posts To, From and Body as a form with Basic auth, and returns the queued message', async () => {
    const { result, lines } = run({ credential_id: 'twilio', to: '+14155550100', body: 'Disk full on db-1 & db-2' });
    expect(await result).toEqual({ sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued', to: '+14155550100' });
    expect(last()).toMatchObject({
      method: 'POST',
      url: `/2010-04-01/Accounts/${SID}/Messages.json`,
      headers: { authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(last().body).toBe('To=%2B14155550100&From=%2B15005550006&Body=Disk+full+on+db-1+%26+db-2');
    expect(lines).toEqual([{ level: 'info', message: 'SMS SM0123456789abcdef0123456789abcdef queued for +14155550100', data: expect.any(Object) }]);
  });

  it('sends through a messaging service named in the params', async () => {
    const out = await run({ credential_id: 'no-sender', to: '+14155550100', body: 'hi', messaging_service_sid: SERVICE }).result;
    expect(out.status).toBe('accepted');
    expect(Object.fromEntries(new URLSearchParams(last().body))).toEqual({ To: '+14155550100', MessagingServiceSid: SERVICE, Body: 'hi' });
  });

  it('never sends From together with MessagingServiceSid', async () => {
    // https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource: the sender is
    // `From` or `MessagingServiceSid`; with both, From is used and the service's sender pool is bypassed.
    await run({ credential_id: 'twilio', to: '+14155550100', body: 'a', messaging_service_sid: SERVICE }).result;
    expect(Object.fromEntries(new URLSearchParams(last().body))).toEqual({ To: '+14155550100', MessagingServiceSid: SERVICE, Body: 'a' });
    await run({ credential_id: 'both', to: '+14155550100', body: 'b' }).result;
    expect(Object.fromEntries(new URLSearchParams(last().body))).toEqual({ To: '+14155550100', MessagingServiceSid: SERVICE, Body: 'b' });
    await run({ credential_id: 'both', to: '+14155550100', body: 'c', from: FROM }).result;
    expect(Object.fromEntries(new URLSearchParams(last().body))).toEqual({ To: '+14155550100', From: FROM, Body: 'c' });
  });

  it('fails before calling Twilio when no sender is known', async () => {
    const sent = twilio.requests.length;
    await expect(run({ credential_id: 'no-sender', to: '+14155550100', body: 'hi' }).result).rejects.toMatchObject({ code: 'credential_invalid' });
    expect(twilio.requests).toHaveLength(sent);
  });

  it('maps an invalid number (400, code 21211) to a non-retryable twilio_21211 with Twilio’s message', async () => {
    const result = run({ credential_id: 'twilio', to: INVALID_TO, body: 'hi' }).result;
    await expect(result).rejects.toBeInstanceOf(NonRetryableError);
    await expect(result).rejects.toMatchObject({
      code: 'twilio_21211',
      message: `Twilio answered HTTP 400: The 'To' number ${INVALID_TO} is not a valid phone number. (code 21211)`,
      details: { status: 400, twilio_code: 21211, more_info: 'https://www.twilio.com/docs/errors/21211' },
    });
  });

  it('maps a rejected token (401) to twilio_20003 without naming the token', async () => {
    const err: unknown = await run({ credential_id: 'wrong-token', to: '+14155550100', body: 'hi' }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'twilio_20003', retryable: false, message: 'Twilio answered HTTP 401: Authenticate (code 20003)' });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as NonRetryableError).details })).not.toContain('stale-token');
  });

  it('retries 429 after Retry-After, and 5xx', async () => {
    const busy = run({ credential_id: 'twilio', to: BUSY_TO, body: 'hi' }).result;
    await expect(busy).rejects.toBeInstanceOf(RetryableError);
    await expect(busy).rejects.toMatchObject({ code: 'twilio_20429', retryAfterMs: 2000 });
    await expect(run({ credential_id: 'twilio', to: DOWN_TO, body: 'hi' }).result).rejects.toMatchObject({ code: 'twilio_20500', retryable: true });
  });
});

describe('send_sms params', () => {
  const valid = { credential_id: 'twilio', to: '+14155550100', body: 'hi' };

  it('accepts a minimal message', () => {
    expect([...Value.Errors(sendSmsAction.params, valid)]).toEqual([]);
  });

  it.each([
    [{ to: '4155550100' }, '/to'],
    [{ to: '+0155550100' }, '/to'],
    [{ to: '+1415555010012345' }, '/to'],
    [{ body: '' }, '/body'],
    [{ messaging_service_sid: 'MG123' }, '/messaging_service_sid'],
    [{ credential_id: undefined }, '/credential_id'],
  ])('rejects %j at %s', (change, path) => {
    const params: Record<string, unknown> = { ...valid, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete params[k];
    expect([...Value.Errors(sendSmsAction.params, params)].map((e) => e.path)).toContain(path);
  });

  it('plans as recipient and text', () => {
    expect(sendSmsAction.plan?.(testContext(valid).ctx)).toBe('send SMS to +14155550100: "hi"');
  });
});
