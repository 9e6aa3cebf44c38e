import { Type, type Static } from '@sinclair/typebox';
import type { TriggerSource } from '../trigger-source.js';
import { startImap } from './email-imap.js';
import type { SmtpListener } from './email-smtp.js';

export const EmailConfigSchema = Type.Object({
  /** `smtp`: mail sent to the server's SMTP listener (ITW_SMTP_TRIGGER_HOST/PORT); `imap`: poll a mailbox. */
  mode: Type.Union([Type.Literal('smtp'), Type.Literal('imap')], { default: 'smtp' }),
  /** smtp: recipient addresses this trigger receives (case-insensitive). */
  addresses: Type.Optional(Type.Array(Type.String({ minLength: 3 }), { minItems: 1 })),
  imap: Type.Optional(Type.Object({
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 993 }),
    /** TLS from the first byte (993); false for plain 143 (loopback only, please). */
    secure: Type.Boolean({ default: true }),
    user: Type.String({ minLength: 1 }),
    password: Type.String(),
    mailbox: Type.String({ default: 'INBOX' }),
    poll_seconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 60 }),
  })),
});
export type EmailConfig = Static<typeof EmailConfigSchema>;

/** Inbound mail: an SMTP listener shared by smtp-mode triggers, or IMAP polling per trigger; parsed with mailparser. */
export function emailSource(smtp: SmtpListener): TriggerSource & { smtp: SmtpListener } {
  return {
    type: 'email',
    smtp,
    configSchema: EmailConfigSchema,
    check: (config) => {
      const c = config as EmailConfig;
      if (c.mode === 'smtp' && !c.addresses) return ['/addresses: is required for mode smtp'];
      if (c.mode === 'imap' && !c.imap) return ['/imap: is required for mode imap'];
      return [];
    },
    // Every process polling the mailbox would race for its unseen messages; the SMTP listener is per connection.
    singleton: (config) => (config as EmailConfig).mode === 'imap',
    async start(ctx) {
      const c = ctx.binding.config as EmailConfig;
      if (c.mode === 'imap') return startImap(ctx, c.imap!);
      const unregister = await smtp.register(ctx, c.addresses!);
      return { stop: unregister };
    },
  };
}
