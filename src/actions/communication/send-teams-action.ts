import { type Static, Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { chatWebhook } from './chat-webhook.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { serviceError, servicePost, statusCode } from './service-http.js';

const ID = 'send_teams';
// Teams renders Adaptive Cards up to schema 1.5; 1.4 is what every Teams client and Workflows accept.
const CARD_VERSION = '1.4';

const SendTeamsParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type teams: {webhook_url} of an incoming webhook or a Workflows (Power Automate) "post to a channel when a webhook request is received" flow' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Bold heading of the card' })),
    text: Type.String({ minLength: 1, maxLength: 20000, description: 'Card text (Adaptive Card TextBlock: a Markdown subset)' }),
    facts: Type.Optional(
      Type.Array(Type.Object({ title: Type.String({ minLength: 1 }), value: Type.String() }, { additionalProperties: false }), {
        maxItems: 50,
        description: 'Name/value pairs shown as a FactSet (service, severity, host...)',
      }),
    ),
    actions: Type.Optional(
      Type.Array(Type.Object({ title: Type.String({ minLength: 1 }), url: Type.String({ pattern: '^https?://' }) }, { additionalProperties: false }), {
        maxItems: 6,
        description: 'Buttons that open a URL (Action.OpenUrl): runbook, dashboard, incident',
      }),
    ),
  },
  { additionalProperties: false },
);

const SendTeamsOutput = Type.Object({
  ok: Type.Boolean(),
  status: Type.Integer({ description: 'HTTP status of the webhook: 200 (incoming webhook) or 202 (Workflows)' }),
});

type Params = Static<typeof SendTeamsParams>;

/** The message Teams webhooks take: one attachment holding an Adaptive Card. */
export function adaptiveCardMessage(p: Params): Record<string, unknown> {
  const body: unknown[] = [];
  if (p.title !== undefined) body.push({ type: 'TextBlock', text: p.title, weight: 'Bolder', size: 'Medium', wrap: true });
  body.push({ type: 'TextBlock', text: p.text, wrap: true });
  if (p.facts?.length) body.push({ type: 'FactSet', facts: p.facts });
  const content = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    body,
    ...(p.actions?.length ? { actions: p.actions.map((a) => ({ type: 'Action.OpenUrl', title: a.title, url: a.url })) } : {}),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

/**
 * Office 365 connector webhooks answer 200 with a text body; when the channel side fails they still
 * answer 200 with "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP
 * error 429..." in it. Workflows answer 202 Accepted.
 */
function deliveryFailure(body: unknown): string | undefined {
  return typeof body === 'string' && /delivery failed|error/i.test(body) ? body.trim().slice(0, 300) : undefined;
}

export const sendTeamsAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Microsoft Teams Message',
  description: 'Posts an Adaptive Card (title, text, facts, link buttons) to a Microsoft Teams channel through an incoming webhook or a Workflows webhook URL.',
  params: SendTeamsParams,
  output: SendTeamsOutput,
  async run(ctx) {
    const hook = await chatWebhook(ctx.credentials, ctx.params.credential_id, 'teams');
    return withSecretsMasked(hook.secrets, async () => {
      const res = await servicePost({ url: hook.url, headers: { 'content-type': 'application/json' }, body: adaptiveCardMessage(ctx.params), ...outbound(ctx) });
      const failed = res.status < 300 ? deliveryFailure(res.body) : undefined;
      if (res.status >= 300 || failed !== undefined) {
        const detail = failed ?? (typeof res.body === 'string' ? res.body.trim().slice(0, 300) : JSON.stringify(res.body ?? '').slice(0, 300));
        const throttled = /\b429\b/.test(failed ?? '');
        throw serviceError(res, { label: 'Teams webhook', code: throttled ? 'teams_rate_limited' : statusCode('teams', res.status), detail, ...(failed ? { retryable: throttled } : {}) });
      }
      ctx.log.log('info', `posted to Microsoft Teams (HTTP ${res.status})`);
      return { ok: true, status: res.status };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `post a Teams card${p.title === undefined ? '' : ` ${quoted(p.title)}`}: ${quoted(p.text)}${p.actions?.length ? ` with ${p.actions.length} link button(s)` : ''}`;
  },
});
