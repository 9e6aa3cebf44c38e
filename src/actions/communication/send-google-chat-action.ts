import { type Static, Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { chatWebhook } from './chat-webhook.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';

const ID = 'send_google_chat';

const SendGoogleChatParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type google_chat: {webhook_url} of the space (https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…)' }),
    text: Type.String({ minLength: 1, maxLength: 4096, description: 'Message text (Google Chat formatting: *bold*, _italic_, <url|label>)' }),
    card_title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Adds a card (cardsV2) with this header below the text' })),
    card_subtitle: Type.Optional(Type.String({ maxLength: 200, description: 'Card header subtitle' })),
    facts: Type.Optional(
      Type.Array(Type.Object({ label: Type.String({ minLength: 1 }), value: Type.String() }, { additionalProperties: false }), { maxItems: 50, description: 'Label/value lines of the card' }),
    ),
    buttons: Type.Optional(
      Type.Array(Type.Object({ text: Type.String({ minLength: 1 }), url: Type.String({ pattern: '^https?://' }) }, { additionalProperties: false }), { maxItems: 6, description: 'Card buttons that open a link' }),
    ),
    thread_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Messages with the same key go to one thread (a new thread when none has it yet)' })),
  },
  { additionalProperties: false },
);

const SendGoogleChatOutput = Type.Object({
  message_name: Type.String({ description: 'Resource name of the message: spaces/…/messages/…' }),
  thread_name: Type.Optional(Type.String({ description: 'Resource name of its thread' })),
});

type Params = Static<typeof SendGoogleChatParams>;

/** A cardsV2 card (header, decoratedText per fact, a buttonList), when the step asked for one. */
function cards(p: Params): unknown[] | undefined {
  if (p.card_title === undefined && !p.facts?.length && !p.buttons?.length) return undefined;
  const widgets: unknown[] = (p.facts ?? []).map((f) => ({ decoratedText: { topLabel: f.label, text: f.value } }));
  if (p.buttons?.length) widgets.push({ buttonList: { buttons: p.buttons.map((b) => ({ text: b.text, onClick: { openLink: { url: b.url } } })) } });
  const header = p.card_title === undefined ? undefined : { title: p.card_title, ...(p.card_subtitle === undefined ? {} : { subtitle: p.card_subtitle }) };
  return [{ cardId: 'itw', card: { ...(header ? { header } : {}), sections: widgets.length > 0 ? [{ widgets }] : [] } }];
}

export const sendGoogleChatAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send Google Chat Message',
  description: 'Posts a message to a Google Chat space through its webhook: text, optionally a card (header, label/value lines, link buttons), threaded by a key.',
  params: SendGoogleChatParams,
  output: SendGoogleChatOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const hook = await chatWebhook(ctx.credentials, p.credential_id, 'google_chat');
    const url = new URL(hook.url);
    if (p.thread_key !== undefined) {
      url.searchParams.set('threadKey', p.thread_key);
      url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    }
    const cardsV2 = cards(p);
    const body = { text: p.text, ...(cardsV2 === undefined ? {} : { cardsV2 }) };
    return withSecretsMasked(hook.secrets, async () => {
      const res = await servicePost({ url: url.href, headers: { 'content-type': 'application/json; charset=UTF-8' }, body, ...outbound(ctx) });
      if (res.status >= 200 && res.status < 300) {
        const name = stringField(res.body, 'name');
        if (name === undefined) throw unexpectedResponse('Google Chat', res, 'the message name');
        const thread = stringField(asRecord(res.body)?.['thread'], 'name');
        ctx.log.log('info', `posted Google Chat message ${name}`);
        return { message_name: name, ...(thread === undefined ? {} : { thread_name: thread }) };
      }
      // Google API errors: {error: {code, message, status: "INVALID_ARGUMENT" | "PERMISSION_DENIED" | "RESOURCE_EXHAUSTED"...}}.
      const error = asRecord(asRecord(res.body)?.['error']);
      const message = stringField(error, 'message');
      const status = stringField(error, 'status');
      throw serviceError(res, { label: 'Google Chat', code: statusCode('google_chat', res.status), detail: status === undefined ? message : `${status}: ${message ?? ''}` });
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `post to a Google Chat space${p.thread_key === undefined ? '' : ` (thread ${p.thread_key})`}: ${quoted(p.text)}${p.card_title === undefined ? '' : ` with card ${quoted(p.card_title)}`}`;
  },
});
