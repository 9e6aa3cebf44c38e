import { type Static, Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { baseUrlField, credentialError, requiredField } from './credential-fields.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';

const ID = 'send_telegram';
const DEFAULT_BASE_URL = 'https://api.telegram.org';
// `<bot id>:<secret>` as @BotFather hands it out; anything else could bend the request path.
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;

const SendTelegramParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type telegram: {bot_token, base_url? (a local Bot API server)}' }),
    chat_id: Type.Union([Type.Integer(), Type.String({ pattern: '^(-?\\d+|@[A-Za-z0-9_]{5,32})$' })], {
      description: 'Chat, group (negative id) or @channelusername to send to',
    }),
    text: Type.String({ minLength: 1, maxLength: 4096, description: 'Message text (1–4,096 characters after entity parsing)' }),
    parse_mode: Type.Optional(Type.Union([Type.Literal('MarkdownV2'), Type.Literal('HTML'), Type.Literal('Markdown')], { description: 'How Telegram formats text; none: plain text' })),
    disable_notification: Type.Optional(Type.Boolean({ description: 'Deliver silently' })),
    message_thread_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Topic of a forum supergroup' })),
  },
  { additionalProperties: false },
);

const SendTelegramOutput = Type.Object({
  message_id: Type.Integer({ description: 'Id of the sent message in its chat' }),
  chat_id: Type.Union([Type.Integer(), Type.String()], { description: 'Id of the chat it went to' }),
});

type Params = Static<typeof SendTelegramParams>;

function botToken(cred: ResolvedCredential): string {
  const token = requiredField(cred, 'bot_token');
  if (!BOT_TOKEN.test(token)) throw credentialError(cred, 'has a bot_token that is not of the form <bot id>:<secret>');
  return token;
}

/** Telegram's `parameters.retry_after` (seconds) on a 429 "Too Many Requests: retry after N". */
function retryAfterMs(body: unknown): number | undefined {
  const value = asRecord(asRecord(body)?.['parameters'])?.['retry_after'];
  return typeof value === 'number' && value >= 0 ? value * 1000 : undefined;
}

export const sendTelegramAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Telegram Message',
  description: 'Sends a text message to a Telegram chat, group or channel through a bot (Bot API sendMessage).',
  params: SendTelegramParams,
  output: SendTelegramOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const cred = await ctx.credentials.get(p.credential_id, ['telegram']);
    const token = botToken(cred);
    const baseUrl = baseUrlField(cred, 'base_url', DEFAULT_BASE_URL);
    const body = { chat_id: p.chat_id, text: p.text, parse_mode: p.parse_mode, disable_notification: p.disable_notification, message_thread_id: p.message_thread_id };
    // The token is in the path: masked in anything thrown (network errors name the path).
    return withSecretsMasked([token], async () => {
      const res = await servicePost({ url: `${baseUrl}/bot${token}/sendMessage`, headers: { 'content-type': 'application/json' }, body, ...outbound(ctx) });
      const answer = asRecord(res.body);
      if (answer?.['ok'] === true) {
        const result = asRecord(answer['result']);
        const messageId = result?.['message_id'];
        const chatId = asRecord(result?.['chat'])?.['id'];
        if (typeof messageId !== 'number' || (typeof chatId !== 'number' && typeof chatId !== 'string')) throw unexpectedResponse('Telegram', res, 'result.message_id and result.chat.id');
        ctx.log.log('info', `sent Telegram message ${messageId}`, { message_id: messageId, chat_id: chatId });
        return { message_id: messageId, chat_id: chatId };
      }
      throw serviceError(res, {
        label: 'Telegram',
        code: statusCode('telegram', res.status),
        detail: stringField(answer, 'description'),
        retryAfterMs: retryAfterMs(answer),
        ...(res.status < 300 ? { retryable: false } : {}),
      });
    });
  },
  plan(ctx) {
    return `send a Telegram message to ${String(ctx.params.chat_id)}: ${quoted(ctx.params.text)}`;
  },
});
