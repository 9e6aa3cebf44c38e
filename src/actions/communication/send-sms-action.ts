import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { baseUrlField, credentialError, optionalField, requiredField } from './credential-fields.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { createMessage } from './twilio-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { outbound } from '../http/http-client.js';

const DEFAULT_BASE_URL = 'https://api.twilio.com';
const E164 = '^\\+[1-9]\\d{1,14}$';

const SendSmsParams = Type.Object(
  {
    credential_id: Type.String({
      minLength: 1,
      description: 'Credential of type twilio: {account_sid, auth_token, from?, messaging_service_sid?, base_url?}',
    }),
    to: Type.String({ pattern: E164, description: 'Recipient number in E.164 form, e.g. +14155550100' }),
    body: Type.String({ minLength: 1, maxLength: 1600, description: 'Message text (Twilio splits it into segments)' }),
    from: Type.Optional(
      Type.String({ minLength: 1, description: "Sender: E.164 number, short code or alphanumeric id; overrides the credential's from" }),
    ),
    messaging_service_sid: Type.Optional(
      Type.String({ pattern: '^MG[0-9a-fA-F]{32}$', description: "Messaging Service (MG...) to send through; overrides the credential's" }),
    ),
  },
  { additionalProperties: false },
);

const SendSmsOutput = Type.Object({
  sid: Type.String({ description: 'Twilio message sid (SM...)' }),
  status: Type.String({ description: 'queued or accepted: delivery happens after the step' }),
  to: Type.String(),
});

export const sendSmsAction = defineAction({
  id: 'send_sms',
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Send SMS',
  description: 'Sends an SMS through the Twilio Messages API.',
  params: SendSmsParams,
  output: SendSmsOutput,
  async run(ctx) {
    const p = ctx.params;
    const cred = await ctx.credentials.get(p.credential_id, ['twilio']);
    const account = {
      accountSid: requiredField(cred, 'account_sid'),
      authToken: requiredField(cred, 'auth_token'),
      baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL),
    };
    // One sender, never both: Twilio takes From over the Messaging Service when both come, bypassing
    // the service's sender pool. The params' choice wins over the credential's; at one level, the service.
    const messagingServiceSid = p.messaging_service_sid ?? (p.from === undefined ? optionalField(cred, 'messaging_service_sid') : undefined);
    const from = messagingServiceSid === undefined ? (p.from ?? optionalField(cred, 'from')) : undefined;
    if (from === undefined && messagingServiceSid === undefined) {
      throw credentialError(cred, 'has neither from nor messaging_service_sid, and the params give neither');
    }
    const sms = await withSecretsMasked([account.authToken], () =>
      createMessage(account, { to: p.to, body: p.body, from, messagingServiceSid }, outbound(ctx)),
    );
    ctx.log.log('info', `SMS ${sms.sid} ${sms.status} for ${sms.to}`, { sid: sms.sid, status: sms.status });
    return sms;
  },
  plan(ctx) {
    return `send SMS to ${ctx.params.to}: ${quoted(ctx.params.body)}`;
  },
});
