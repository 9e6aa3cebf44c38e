import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../triggers/replay-cache.js';
import { slackSignatureHeaders, verifySlackSignature } from './slack-signature.js';

// The example of Slack's "Verifying requests from Slack" page: a slash command body, its secret and signature.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_STAMP = 1531420618;
const DOC_BODY = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const request = (headers: Record<string, string>, body = DOC_BODY) => ({ headers, rawBody: Buffer.from(body) });

describe('Slack request signatures', () => {
  it('accepts the documented example and computes its signature', () => {
    expect(slackSignatureHeaders(DOC_SECRET, DOC_BODY, DOC_STAMP)['x-slack-signature']).toBe(DOC_SIGNATURE);
    expect(() => verifySlackSignature(DOC_SECRET, request({ 'x-slack-signature': DOC_SIGNATURE, 'x-slack-request-timestamp': String(DOC_STAMP) }), DOC_STAMP * 1000 + 2000)).not.toThrow();
  });

  it('refuses a missing, wrong or altered signature, and a timestamp outside five minutes', () => {
    const now = DOC_STAMP * 1000;
    const ok = { 'x-slack-signature': DOC_SIGNATURE, 'x-slack-request-timestamp': String(DOC_STAMP) };
    expect(() => verifySlackSignature(DOC_SECRET, request({ 'x-slack-request-timestamp': String(DOC_STAMP) }), now)).toThrow(/missing X-Slack-Signature/);
    expect(() => verifySlackSignature(DOC_SECRET, request({ 'x-slack-signature': DOC_SIGNATURE }), now)).toThrow(/X-Slack-Request-Timestamp/);
    expect(() => verifySlackSignature('another secret', request(ok), now)).toThrow(/does not match/);
    expect(() => verifySlackSignature(DOC_SECRET, request(ok, DOC_BODY.replace('roadrunner', 'coyote')), now)).toThrow(/does not match/);
    expect(() => verifySlackSignature(DOC_SECRET, request(ok), now + 301_000)).toThrow(/more than 300 seconds/);
    expect(() => verifySlackSignature(DOC_SECRET, request(ok), now - 301_000)).toThrow(/more than 300 seconds/);
  });

  it('refuses the same signed request twice within the window', () => {
    const replays = new ReplayCache();
    const h = { 'x-slack-signature': DOC_SIGNATURE, 'x-slack-request-timestamp': String(DOC_STAMP) };
    verifySlackSignature(DOC_SECRET, request(h), DOC_STAMP * 1000, replays);
    expect(() => verifySlackSignature(DOC_SECRET, request(h), DOC_STAMP * 1000 + 1000, replays)).toThrow(/replay/);
  });
});
