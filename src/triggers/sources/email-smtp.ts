import { silentLogger, type Logger } from '../../model/logger.js';
import type { AddressInfo } from 'node:net';
import type { SMTPServer, SMTPServerDataStream } from 'smtp-server';
import type { TriggerContext } from '../trigger-source.js';
import { parseEmail } from './email-message.js';

export interface SmtpListenerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly maxBytes: number;
  /** Listener errors (a client's broken connection...). @default silent */
  readonly logger?: Logger;
}

interface Registration {
  readonly ctx: TriggerContext;
  readonly addresses: ReadonlySet<string>;
}

/**
 * One SMTP listener shared by every email trigger in smtp mode: RCPT TO is accepted only for
 * addresses some trigger listens on, and the DATA is answered 250 only after every matching trigger's
 * execution is recorded (451 otherwise, so the sender retries: at-least-once). Opened with the
 * first trigger, closed with the last.
 */
export class SmtpListener {
  private server: SMTPServer | undefined;
  private opening: Promise<void> | undefined;
  private readonly registrations = new Set<Registration>();

  constructor(private readonly opts: SmtpListenerOptions) {}

  address(): { host: string; port: number } | undefined {
    const a = this.server?.server.address() as AddressInfo | null | undefined;
    return a ? { host: a.address, port: a.port } : undefined;
  }

  async register(ctx: TriggerContext, addresses: readonly string[]): Promise<() => Promise<void>> {
    const reg: Registration = { ctx, addresses: new Set(addresses.map((a) => a.toLowerCase())) };
    this.registrations.add(reg);
    try {
      await this.open();
    } catch (err) {
      this.registrations.delete(reg);
      throw err;
    }
    return async () => {
      this.registrations.delete(reg);
      if (this.registrations.size === 0) await this.close();
    };
  }

  private listening(address: string): Registration[] {
    return [...this.registrations].filter((r) => r.addresses.has(address.toLowerCase()));
  }

  private open(): Promise<void> {
    if (this.server) return Promise.resolve();
    this.opening ??= this.listen().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async listen(): Promise<void> {
    // smtp-server is loaded with the first smtp-mode trigger, not at start (issue 14, idle RSS).
    const { SMTPServer } = await import('smtp-server');
    await new Promise<void>((resolve, reject) => {
      const server = new SMTPServer({
        authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], size: this.opts.maxBytes, logger: false, banner: 'iTechSmart Workflow',
        onRcptTo: (address, _session, cb) => {
          if (this.listening(address.address).length > 0) return cb();
          const err = Object.assign(new Error(`no trigger listens on ${address.address}`), { responseCode: 550 });
          return cb(err);
        },
        onData: (stream, session, cb) => {
          this.receive(stream, session.envelope.rcptTo.map((r) => r.address)).then(
            () => cb(),
            (err: unknown) => cb(Object.assign(new Error(`could not record the message: ${err instanceof Error ? err.message : String(err)}`), { responseCode: 451 })),
          );
        },
      });
      server.on('error', (err) => (this.opts.logger ?? silentLogger).warn({ err }, 'email trigger: SMTP listener error'));
      server.server.once('error', (err: Error) => reject(err));
      server.listen(this.opts.port, this.opts.host, () => {
        this.server = server;
        resolve();
      });
    });
  }

  private async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream, recipients: readonly string[]): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw Object.assign(new Error('message too large'), { responseCode: 552 });
    const { input, key } = await parseEmail(Buffer.concat(chunks));
    const done = new Set<Registration>();
    for (const rcpt of recipients) {
      for (const reg of this.listening(rcpt)) {
        if (done.has(reg)) continue;
        done.add(reg);
        await reg.ctx.fire({ input: { mode: 'smtp', recipient: rcpt.toLowerCase(), ...input }, key });
      }
    }
  }
}
