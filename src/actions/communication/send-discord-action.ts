import { type Static, Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { chatWebhook } from './chat-webhook.js';
import { invalidParam } from './invalid-param.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';

const ID = 'send_discord';
// A pattern, not `format: 'date-time'`: TypeBox knows no formats unless registered.
const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$';

const Embed = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    description: Type.Optional(Type.String({ maxLength: 4096 })),
    url: Type.Optional(Type.String({ pattern: '^https?://' })),
    color: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffff, description: 'RGB as an integer, e.g. 15158332 for red' })),
    timestamp: Type.Optional(Type.String({ pattern: ISO_TIME })),
    fields: Type.Optional(
      Type.Array(
        Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }), value: Type.String({ minLength: 1, maxLength: 1024 }), inline: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        { maxItems: 25 },
      ),
    ),
    footer: Type.Optional(Type.Object({ text: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const SendDiscordParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type discord: {webhook_url} (https://discord.com/api/webhooks/<id>/<token>)' }),
    content: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Message text (Discord Markdown, at most 2,000 characters)' })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: "Overrides the webhook's display name" })),
    avatar_url: Type.Optional(Type.String({ pattern: '^https?://', description: "Overrides the webhook's avatar" })),
    embeds: Type.Optional(Type.Array(Embed, { maxItems: 10, description: 'Rich embeds (title, description, colour, fields)' })),
    thread_id: Type.Optional(Type.String({ pattern: '^\\d+$', description: "Post in this thread of the webhook's channel" })),
    allow_mentions: Type.Optional(
      Type.Boolean({ default: false, description: 'Let @everyone, @here, role and user mentions in the text ping people. Off by default: the text often carries data from outside' }),
    ),
  },
  { additionalProperties: false },
);

const SendDiscordOutput = Type.Object({
  message_id: Type.String({ description: 'Id of the posted message' }),
  channel_id: Type.String({ description: 'Channel (or thread) it was posted in' }),
});

type Params = Static<typeof SendDiscordParams>;

/**
 * Discord's 429 body says how long to wait in seconds (`retry_after`, fractional), as does the
 * Retry-After header; a missing header falls back on the body's value.
 */
function retryAfterMs(body: unknown): number | undefined {
  const value = asRecord(body)?.['retry_after'];
  return typeof value === 'number' && value >= 0 ? Math.ceil(value * 1000) : undefined;
}

export const sendDiscordAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Discord Message',
  description: 'Posts a message with optional embeds to a Discord channel through a webhook (?wait=true, so the step gets the message id).',
  params: SendDiscordParams,
  output: SendDiscordOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    if (p.content === undefined && !p.embeds?.length) throw invalidParam(ID, '/content', 'content or embeds is required');
    const hook = await chatWebhook(ctx.credentials, p.credential_id, 'discord');
    const url = new URL(hook.url);
    url.searchParams.set('wait', 'true');
    if (p.thread_id !== undefined) url.searchParams.set('thread_id', p.thread_id);
    const body = {
      content: p.content, username: p.username, avatar_url: p.avatar_url, embeds: p.embeds,
      // An empty parse list: mentions render as text but notify nobody.
      allowed_mentions: p.allow_mentions === true ? { parse: ['everyone', 'roles', 'users'] } : { parse: [] },
    };
    return withSecretsMasked(hook.secrets, async () => {
      const res = await servicePost({ url: url.href, headers: { 'content-type': 'application/json' }, body, ...outbound(ctx) });
      if (res.status >= 200 && res.status < 300) {
        const messageId = stringField(res.body, 'id');
        const channelId = stringField(res.body, 'channel_id');
        if (messageId === undefined || channelId === undefined) throw unexpectedResponse('Discord webhook', res, 'the message id and channel_id');
        ctx.log.log('info', `posted Discord message ${messageId}`, { message_id: messageId, channel_id: channelId });
        return { message_id: messageId, channel_id: channelId };
      }
      const code = stringField(res.body, 'code');
      const message = stringField(res.body, 'message');
      throw serviceError(res, {
        label: 'Discord webhook',
        code: statusCode('discord', res.status),
        detail: message === undefined ? undefined : code === undefined ? message : `${message} (code ${code})`,
        retryAfterMs: res.status === 429 ? retryAfterMs(res.body) : undefined,
      });
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const what = p.content === undefined ? `${p.embeds?.length ?? 0} embed(s)` : quoted(p.content);
    return `post to a Discord webhook${p.thread_id === undefined ? '' : ` (thread ${p.thread_id})`}: ${what}`;
  },
});
