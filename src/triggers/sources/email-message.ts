import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';

type Address = { address: string; name: string };

function addresses(a: AddressObject | AddressObject[] | undefined): Address[] {
  if (!a) return [];
  return (Array.isArray(a) ? a : [a]).flatMap((o) => o.value.map((v) => ({ address: (v.address ?? '').toLowerCase(), name: v.name ?? '' })));
}

/** What an email trigger fires with: the message parsed, attachments as metadata only. */
export interface EmailInput {
  readonly message_id: string | null;
  readonly from: Address[];
  readonly to: Address[];
  readonly cc: Address[];
  readonly subject: string;
  readonly date: string | null;
  readonly text: string | null;
  readonly html: string | null;
  readonly attachments: Array<{ filename: string | null; content_type: string; size: number; checksum: string }>;
  readonly headers: Record<string, string>;
}

const KEPT_HEADERS = ['message-id', 'in-reply-to', 'references', 'reply-to', 'x-priority', 'list-id'];

export async function parseEmail(raw: Buffer): Promise<{ input: EmailInput; key: string }> {
  // Loaded at the first message, not at start: mailparser (with iconv-lite) is ~7 MB of heap that an
  // instance without email triggers never needs (issue 14, idle RSS).
  const { simpleParser } = await import('mailparser');
  const m: ParsedMail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers: Record<string, string> = {};
  for (const h of KEPT_HEADERS) {
    const v = m.headers.get(h);
    if (v !== undefined) headers[h] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const input: EmailInput = {
    message_id: m.messageId ?? null,
    from: addresses(m.from), to: addresses(m.to), cc: addresses(m.cc),
    subject: m.subject ?? '', date: m.date ? m.date.toISOString() : null,
    text: m.text ?? null, html: typeof m.html === 'string' ? m.html : null,
    attachments: m.attachments.map((a) => ({ filename: a.filename ?? null, content_type: a.contentType, size: a.size, checksum: a.checksum })),
    headers,
  };
  // A message without Message-ID is keyed by its bytes: the same mail resent is still one firing.
  const key = m.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return { input, key };
}
