import { type Static, Type } from '@sinclair/typebox';
import { type ActionContext, defineAction } from '../define-action.js';
import { baseUrlField, credentialError, optionalField } from './credential-fields.js';
import { invalidParam } from './invalid-param.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { postChatMessage, postToWebhook, type SlackMessage } from './slack-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { outbound } from '../http/http-client.js';

const ID = 'send_slack';
const DEFAULT_BASE_URL = 'https://slack.com';

const SendSlackParams = Type.Object(
  {
    credential_id: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Credential of type slack: {webhook_url} for an incoming webhook, or {bot_token, base_url?} for chat.postMessage',
      }),
    ),
    webhook_url: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description: 'Incoming webhook URL, instead of a credential. It embeds a secret: prefer a credential',
      }),
    ),
    channel: Type.Optional(
      Type.String({ minLength: 1, description: 'Channel id or #name; required with a bot token (a webhook posts to its own channel)' }),
    ),
    text: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40000, description: 'Message text (mrkdwn); the notification fallback when blocks are given' }),
    ),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 40000, description: 'Alias of text' })),
    blocks: Type.Optional(
      Type.Array(Type.Object({ type: Type.String({ minLength: 1 }) }, { additionalProperties: true }), {
        minItems: 1,
        maxItems: 50,
        description: 'Block Kit blocks',
      }),
    ),
    thread_ts: Type.Optional(
      Type.String({ pattern: '^\\d+\\.\\d+$', description: 'Reply in the thread of this message ts (bot token only)' }),
    ),
  },
  { additionalProperties: false },
);

const SendSlackOutput = Type.Object({
  ok: Type.Boolean(),
  channel: Type.Optional(Type.String({ description: 'Channel id the message went to (bot token only)' })),
  ts: Type.Optional(Type.String({ description: 'Message timestamp, the id to thread replies on (bot token only)' })),
});

type Params = Static<typeof SendSlackParams>;
type Target = { kind: 'webhook'; url: string } | { kind: 'bot'; baseUrl: string; token: string };

async function resolveTarget(ctx: ActionContext<Params>): Promise<Target> {
  const { credential_id: credentialId, webhook_url: webhookUrl } = ctx.params;
  if (credentialId !== undefined && webhookUrl !== undefined) {
    throw invalidParam(ID, '/webhook_url', 'give either credential_id or webhook_url, not both');
  }
  if (webhookUrl !== undefined) return { kind: 'webhook', url: webhookUrl };
  if (credentialId === undefined) throw invalidParam(ID, '/credential_id', 'credential_id (or webhook_url) is required');
  const cred = await ctx.credentials.get(credentialId, ['slack']);
  const url = optionalField(cred, 'webhook_url');
  if (url !== undefined) return { kind: 'webhook', url };
  const token = optionalField(cred, 'bot_token');
  if (token !== undefined) return { kind: 'bot', token, baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL) };
  throw credentialError(cred, 'has neither webhook_url nor bot_token');
}

/** The webhook URL's path is its secret; masking the path alone keeps the host in messages. */
function secretsOf(target: Target): string[] {
  if (target.kind === 'bot') return [target.token];
  const url = URL.canParse(target.url) ? new URL(target.url) : undefined;
  return url !== undefined && url.pathname.length > 1 ? [url.pathname.slice(1), url.search] : [target.url];
}

export const sendSlackAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Slack Message',
  description: 'Posts a message to Slack through an incoming webhook or a bot token (chat.postMessage).',
  params: SendSlackParams,
  output: SendSlackOutput,
  async run(ctx) {
    const p = ctx.params;
    const text = p.text ?? p.message;
    if (text === undefined && p.blocks === undefined) throw invalidParam(ID, '/text', 'text (or message) or blocks is required');
    const target = await resolveTarget(ctx);
    return withSecretsMasked(secretsOf(target), async () => {
      if (target.kind === 'webhook') {
        if (p.channel !== undefined || p.thread_ts !== undefined) {
          ctx.log.log('warn', 'channel and thread_ts are ignored: an incoming webhook posts to the channel it was created for');
        }
        await postToWebhook(target.url, { text, blocks: p.blocks }, outbound(ctx));
        ctx.log.log('info', 'posted to Slack through an incoming webhook');
        return { ok: true };
      }
      if (p.channel === undefined) throw invalidParam(ID, '/channel', 'channel is required when posting with a bot token');
      const message: SlackMessage = { channel: p.channel, text, blocks: p.blocks, thread_ts: p.thread_ts };
      const posted = await postChatMessage(target.baseUrl, target.token, message, outbound(ctx));
      if (posted.warning !== undefined) ctx.log.log('warn', `Slack warning: ${posted.warning}`);
      ctx.log.log('info', `posted to Slack channel ${posted.channel}`, { channel: posted.channel, ts: posted.ts });
      return { ok: true, channel: posted.channel, ts: posted.ts };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const text = p.text ?? p.message;
    const content = text !== undefined ? quoted(text) : `${p.blocks?.length ?? 0} block(s)`;
    const where = p.webhook_url !== undefined ? 'Slack incoming webhook' : p.channel !== undefined ? `Slack channel ${p.channel}` : 'Slack';
    return `post to ${where}: ${content}`;
  },
});
