import { type Static, Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { chatWebhook } from './chat-webhook.js';
import { invalidParam } from './invalid-param.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { serviceError, servicePost, statusCode, stringField } from './service-http.js';

const ID = 'send_mattermost';

const Attachment = Type.Object(
  {
    fallback: Type.Optional(Type.String({ description: 'Plain-text summary for notifications' })),
    color: Type.Optional(Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: 'Bar colour, e.g. #FF0000' })),
    pretext: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    title_link: Type.Optional(Type.String({ pattern: '^https?://' })),
    text: Type.Optional(Type.String()),
    fields: Type.Optional(
      Type.Array(Type.Object({ title: Type.String(), value: Type.String(), short: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false },
);

const SendMattermostParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type mattermost: {webhook_url} (https://<host>/hooks/<key>)' }),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 16383, description: 'Message text (Markdown)' })),
    channel: Type.Optional(Type.String({ pattern: '^@?[a-z0-9._-]+$', description: "Channel name (town-square) or @user to post to instead of the webhook's own; the webhook must allow overrides" })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Display name override (needs "Enable integrations to override usernames")' })),
    icon_url: Type.Optional(Type.String({ pattern: '^https?://', description: 'Profile picture override' })),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 20, description: 'Slack-compatible message attachments' })),
  },
  { additionalProperties: false },
);

const SendMattermostOutput = Type.Object({ ok: Type.Boolean() });

type Params = Static<typeof SendMattermostParams>;

export const sendMattermostAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Mattermost Message',
  description: 'Posts a message (text, optional Slack-style attachments) to Mattermost through an incoming webhook, optionally to another channel or user.',
  params: SendMattermostParams,
  output: SendMattermostOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    if (p.text === undefined && !p.attachments?.length) throw invalidParam(ID, '/text', 'text or attachments is required');
    const hook = await chatWebhook(ctx.credentials, p.credential_id, 'mattermost');
    const body = { text: p.text, channel: p.channel, username: p.username, icon_url: p.icon_url, attachments: p.attachments };
    return withSecretsMasked(hook.secrets, async () => {
      const res = await servicePost({ url: hook.url, headers: { 'content-type': 'application/json' }, body, ...outbound(ctx) });
      if (res.status >= 200 && res.status < 300) {
        ctx.log.log('info', `posted to Mattermost${p.channel === undefined ? '' : ` ${p.channel}`}`);
        return { ok: true };
      }
      // Mattermost's AppError: {id: "web.incoming_webhook.invalid.app_error", message, detailed_error, status_code}.
      const message = stringField(res.body, 'message') ?? (typeof res.body === 'string' ? res.body.trim().slice(0, 300) : undefined);
      const id = stringField(res.body, 'id');
      throw serviceError(res, { label: 'Mattermost webhook', code: statusCode('mattermost', res.status), detail: id === undefined ? message : `${message ?? 'error'} (${id})` });
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const what = p.text === undefined ? `${p.attachments?.length ?? 0} attachment(s)` : quoted(p.text);
    return `post to Mattermost${p.channel === undefined ? '' : ` ${p.channel}`}: ${what}`;
  },
});
