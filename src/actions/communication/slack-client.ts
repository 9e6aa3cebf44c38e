import type { Outbound } from '../http/http-client.js';
import { asRecord, isRetryableStatus, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';

export interface SlackMessage {
  readonly channel?: string | undefined;
  readonly text?: string | undefined;
  readonly blocks?: readonly unknown[] | undefined;
  readonly thread_ts?: string | undefined;
}

// Web API errors that say "not now" rather than "not like this".
const TRANSIENT_API_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const ERROR_TOKEN = /^[a-z][a-z0-9_]*$/;

/**
 * Incoming webhook: 200 `ok`, or an HTTP error status whose plain-text body is Slack's error code
 * (`invalid_payload`, `channel_not_found`...). A webhook posts to the channel it was created for.
 */
export async function postToWebhook(webhookUrl: string, message: SlackMessage, io: Outbound): Promise<void> {
  const body = { text: message.text, blocks: message.blocks };
  const res = await servicePost({ url: webhookUrl, headers: { 'content-type': 'application/json' }, body, ...io });
  if (res.status >= 200 && res.status < 300) return;
  const error = typeof res.body === 'string' ? res.body.trim() : '';
  const known = ERROR_TOKEN.test(error);
  throw serviceError(res, {
    label: 'Slack webhook',
    code: known ? `slack_${error}` : statusCode('slack', res.status),
    detail: known ? error : undefined,
  });
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  readonly warning: string | undefined;
}

/** chat.postMessage: HTTP 200 either way, `ok` tells success; rate limits also come as HTTP 429. */
export async function postChatMessage(baseUrl: string, botToken: string, message: SlackMessage, io: Outbound): Promise<PostedMessage> {
  const label = 'Slack chat.postMessage';
  const res = await servicePost({
    url: `${baseUrl}/api/chat.postMessage`,
    // Without the charset Slack answers with a `missing_charset` warning.
    headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: message,
    ...io,
  });
  const body = asRecord(res.body);
  const error = stringField(body, 'error');
  if (body?.['ok'] === true) {
    const channel = stringField(body, 'channel');
    const ts = stringField(body, 'ts');
    if (channel === undefined || ts === undefined) throw unexpectedResponse(label, res, 'channel and ts');
    return { channel, ts, warning: stringField(body, 'warning') };
  }
  if (error !== undefined) {
    const retryable = TRANSIENT_API_ERRORS.has(error) || isRetryableStatus(res.status);
    throw serviceError(res, { label, code: `slack_${error}`, detail: error, retryable });
  }
  if (res.status >= 400) throw serviceError(res, { label, code: statusCode('slack', res.status) });
  throw unexpectedResponse(label, res, '"ok"');
}

/** chat.update: rewrites a message the bot posted (`channel` + `ts`); same answer shape as chat.postMessage. */
export async function updateChatMessage(baseUrl: string, botToken: string, message: SlackMessage & { readonly ts: string }, io: Outbound): Promise<void> {
  const label = 'Slack chat.update';
  const res = await servicePost({
    url: `${baseUrl}/api/chat.update`,
    headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
    body: message,
    ...io,
  });
  const body = asRecord(res.body);
  if (body?.['ok'] === true) return;
  const error = stringField(body, 'error');
  if (error !== undefined) throw serviceError(res, { label, code: `slack_${error}`, detail: error, retryable: TRANSIENT_API_ERRORS.has(error) || isRetryableStatus(res.status) });
  if (res.status >= 400) throw serviceError(res, { label, code: statusCode('slack', res.status) });
  throw unexpectedResponse(label, res, '"ok"');
}

/**
 * A message through an interaction's or slash command's `response_url` (no token: the URL is the
 * capability, valid 30 minutes, 5 uses). `response_type: ephemeral` shows it to the user alone.
 */
export async function postToResponseUrl(responseUrl: string, message: SlackMessage & { readonly response_type?: 'ephemeral' | 'in_channel'; readonly replace_original?: boolean }, io: Outbound): Promise<void> {
  const res = await servicePost({ url: responseUrl, headers: { 'content-type': 'application/json; charset=utf-8' }, body: message, ...io });
  if (res.status >= 200 && res.status < 300) return;
  throw serviceError(res, { label: 'Slack response_url', code: statusCode('slack', res.status) });
}
