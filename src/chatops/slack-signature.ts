import { hmacHex, safeEqual, unauthorized } from '../triggers/ingress.js';
import type { ReplayCache } from '../triggers/replay-cache.js';

/** Slack refuses requests older than five minutes; so do we, either way of the clock. */
export const SLACK_TOLERANCE_SECONDS = 300;

export interface SlackSignedRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes Slack signed: never a re-serialised parse. */
  readonly rawBody: Buffer;
}

/**
 * Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`.
 * Throws 401 (naming what is wrong, never the secret) for a missing or wrong signature, a timestamp
 * outside the five-minute window, or a signature seen before within it (a replay).
 */
export function verifySlackSignature(secret: string, req: SlackSignedRequest, nowMs: number, replays?: ReplayCache): void {
  const signature = req.headers['x-slack-signature'];
  const stamp = req.headers['x-slack-request-timestamp'];
  if (signature === undefined || signature === '') throw unauthorized('missing X-Slack-Signature');
  if (stamp === undefined || !/^\d{1,12}$/.test(stamp)) throw unauthorized('missing or malformed X-Slack-Request-Timestamp');
  const age = Math.abs(nowMs / 1000 - Number(stamp));
  if (age > SLACK_TOLERANCE_SECONDS) throw unauthorized(`X-Slack-Request-Timestamp is more than ${SLACK_TOLERANCE_SECONDS} seconds away from now: refused as a possible replay`);
  const expected = `v0=${hmacHex(secret, Buffer.concat([Buffer.from(`v0:${stamp}:`), req.rawBody]))}`;
  if (!safeEqual(signature, expected)) throw unauthorized('X-Slack-Signature does not match the request (wrong signing secret or altered body)');
  if (replays && !replays.firstSeen(signature, (Number(stamp) + SLACK_TOLERANCE_SECONDS) * 1000, nowMs)) {
    throw unauthorized('this signed Slack request was already received: refused as a replay');
  }
}

/** What Slack sends, for tests and for documentation: the headers of a body signed at `stampSeconds`. */
export function slackSignatureHeaders(secret: string, body: string, stampSeconds: number): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(stampSeconds),
    'x-slack-signature': `v0=${hmacHex(secret, `v0:${stampSeconds}:${body}`)}`,
  };
}
