import type { TriggerContext, TriggerHandle } from '../trigger-source.js';
import { parseEmail } from './email-message.js';

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly mailbox: string;
  readonly poll_seconds: number;
}

/** One poll: every unseen message fires (keyed by Message-ID), then is flagged \Seen. */
async function poll(ctx: TriggerContext, s: ImapSettings): Promise<number> {
  // imapflow is loaded at the first poll, not at start: ~6 MB of heap an instance without IMAP
  // triggers never needs (issue 14, idle RSS).
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({ host: s.host, port: s.port, secure: s.secure, auth: { user: s.user, pass: s.password }, logger: false, connectionTimeout: 10_000, greetingTimeout: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  let fired = 0;
  try {
    const box = await client.mailboxOpen(s.mailbox);
    const uids = (await client.search({ seen: false }, { uid: true })) || [];
    for (const uid of uids) {
      const msg = await client.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
      if (!msg || !msg.source) continue;
      const { input, key } = await parseEmail(msg.source);
      await ctx.fire({ input: { mode: 'imap', mailbox: s.mailbox, uid, ...input }, key: input.message_id !== null ? key : `imap:${String(box.uidValidity)}:${uid}` });
      // Flagged only after the execution is recorded: a crash in between fires it again, deduplicated by key.
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      fired++;
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return fired;
}

/**
 * IMAP polling with imapflow. The first poll happens in start(), so an unreachable mailbox fails the
 * start (the manager shows the error and retries with backoff); a later failing poll reports through
 * ctx.failed the same way.
 */
export async function startImap(ctx: TriggerContext, s: ImapSettings): Promise<TriggerHandle> {
  await poll(ctx, s);
  let stopped = false;
  let timer: unknown;
  let running: Promise<unknown> = Promise.resolve();
  const arm = () => {
    if (stopped) return;
    timer = ctx.clock.setTimer(() => {
      running = poll(ctx, s).then(
        () => {
          ctx.healthy();
          arm();
        },
        (err: unknown) => {
          if (!stopped) ctx.failed(err);
        },
      );
    }, s.poll_seconds * 1000);
  };
  arm();
  return {
    async stop() {
      stopped = true;
      ctx.clock.clearTimer(timer);
      await running.catch(() => undefined);
    },
  };
}
