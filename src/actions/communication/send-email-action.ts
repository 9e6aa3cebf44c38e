import { type Static, Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { defineAction } from '../define-action.js';
import { credentialError, optionalField, requiredField } from './credential-fields.js';
import { invalidParam } from './invalid-param.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { sendEmail, type SmtpServer } from './smtp-client.js';
import { bindingOf, checkCredentialHost } from '../http/credential-binding.js';
import { outbound } from '../http/http-client.js';

const ID = 'send_email';
const MAX_RECIPIENTS = 100;
// `ops@example.com` or `"Ops, EU" <ops@example.com>`: a shape check; the SMTP server has the last word.
const ADDRESS = '^(?:[^\\s<>@,;]+@[^\\s<>@,;]+|[^<>]*<[^\\s<>@,;]+@[^\\s<>@,;]+>)$';

const Address = (description: string) => Type.String({ pattern: ADDRESS, description });
const Recipients = (description: string) =>
  Type.Union([Address('One address'), Type.Array(Address('One address'), { minItems: 1, maxItems: MAX_RECIPIENTS })], { description });

const SendEmailParams = Type.Object(
  {
    credential_id: Type.String({
      minLength: 1,
      description: "Credential of type smtp: {host, port, secure ('true'|'false'), user?, password?, from?, ignore_tls?}",
    }),
    to: Recipients('Recipient address, or a list of them'),
    cc: Type.Optional(Recipients('Copy recipients')),
    bcc: Type.Optional(Recipients('Blind copy recipients (not shown in the headers)')),
    subject: Type.String({ minLength: 1, maxLength: 998, description: 'Subject line' }),
    text: Type.Optional(Type.String({ description: 'Plain-text body; text or html is required' })),
    html: Type.Optional(Type.String({ description: 'HTML body; sent beside text as an alternative when both are given' })),
    from: Type.Optional(Address("Sender; overrides the credential's from")),
    reply_to: Type.Optional(Address('Address replies go to')),
  },
  { additionalProperties: false },
);

const SendEmailOutput = Type.Object({
  message_id: Type.String({ description: 'Message-ID header of the sent message' }),
  accepted: Type.Array(Type.String(), { description: 'Recipients the SMTP server accepted' }),
  rejected: Type.Array(Type.String(), { description: 'Recipients it refused (the others still got the message)' }),
});

type Params = Static<typeof SendEmailParams>;

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function smtpServer(cred: ResolvedCredential): SmtpServer {
  const secure = optionalField(cred, 'secure') === 'true';
  const rawPort = optionalField(cred, 'port');
  const port = rawPort === undefined ? (secure ? 465 : 587) : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw credentialError(cred, 'has a port that is not a number from 1 to 65535');
  return {
    host: requiredField(cred, 'host'),
    port,
    secure,
    ignoreTls: optionalField(cred, 'ignore_tls') === 'true',
    user: optionalField(cred, 'user'),
    password: optionalField(cred, 'password'),
  };
}

function sender(p: Params, cred: ResolvedCredential, server: SmtpServer): string {
  const from = p.from ?? optionalField(cred, 'from') ?? (server.user?.includes('@') ? server.user : undefined);
  if (from === undefined) throw credentialError(cred, 'has no from address (nor an e-mail address as user), and the params give none');
  return from;
}

export const sendEmailAction = defineAction({
  id: ID,
  category: 'communication',
  name: 'Send Email',
  description: 'Sends an e-mail through an SMTP server.',
  params: SendEmailParams,
  output: SendEmailOutput,
  async run(ctx) {
    const p = ctx.params;
    if (p.text === undefined && p.html === undefined) throw invalidParam(ID, '/text', 'text or html is required');
    const cred = await ctx.credentials.get(p.credential_id, ['smtp']);
    const server = smtpServer(cred);
    checkCredentialHost(bindingOf(cred), server.host, server.port, 'smtp', ctx.services.egress);
    const email = {
      from: sender(p, cred, server),
      to: list(p.to),
      cc: list(p.cc),
      bcc: list(p.bcc),
      replyTo: p.reply_to,
      subject: p.subject,
      text: p.text,
      html: p.html,
      // Lets a receiving system drop the copy a re-dispatched attempt sends again.
      headers: { 'X-Idempotency-Key': ctx.idempotencyKey },
    };
    const sent = await withSecretsMasked([server.password], () => sendEmail(server, email, outbound(ctx)));
    if (sent.rejected.length > 0) ctx.log.log('warn', `SMTP server refused ${sent.rejected.length} recipient(s)`, { rejected: sent.rejected });
    ctx.log.log('info', `email ${sent.messageId} accepted for ${sent.accepted.length} recipient(s)`, { message_id: sent.messageId });
    return { message_id: sent.messageId, accepted: sent.accepted, rejected: sent.rejected };
  },
  plan(ctx) {
    const p = ctx.params;
    const copies = [p.cc && `cc ${list(p.cc).length}`, p.bcc && `bcc ${list(p.bcc).length}`].filter(Boolean).join(', ');
    return `send email to ${list(p.to).join(', ')}${copies ? ` (${copies})` : ''}: ${quoted(p.subject)}`;
  },
});
