import type pg from 'pg';
import { silentLogger, type Logger } from '../model/logger.js';

export type NoticeHandler = (channel: string, payload: string) => void;

/**
 * One dedicated connection LISTENing to the cluster's notice channels (commit events, step aborts).
 * It reconnects with backoff when the connection drops; notices sent while it was down are lost, which
 * costs only liveness of SSE streams: state is always read from the store.
 */
export class NoticeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 200;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly connectionString: string,
    private readonly channels: readonly string[],
    private readonly onNotice: NoticeHandler,
    private readonly logger: Logger,
  ) {}

  static async start(connectionString: string, channels: readonly string[], onNotice: NoticeHandler, logger: Logger = silentLogger): Promise<NoticeListener> {
    const l = new NoticeListener(connectionString, channels, onNotice, logger);
    await l.connect();
    return l;
  }

  private async connect(): Promise<void> {
  // pg is loaded here, not at start: a SQLite instance never connects (issue 14, idle RSS).
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (m) => this.onNotice(m.channel, m.payload ?? ''));
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    await client.connect();
    for (const ch of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    this.client = client;
    this.retryMs = 200;
  }

  private reconnect(dead: pg.Client): void {
    if (this.stopped || this.client !== dead) return;
    this.client = undefined;
    dead.end().catch(() => undefined);
    this.timer = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.logger.warn({ err }, 'notice listener could not reconnect; retrying');
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
        this.client = dead;
        this.reconnect(dead);
      });
    }, this.retryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }
}
