import { createHash } from 'node:crypto';
import type pg from 'pg';
import { silentLogger, type Logger } from '../model/logger.js';

export interface LeaderElectionOptions {
  readonly connectionString: string;
  /** What is led, e.g. `itw:triggers:<schema>`; hashed to the 64-bit advisory lock id (lockIdOf). */
  readonly key: string;
  /** How often a follower tries the lock and a leader checks its connection. @default 2000 */
  readonly retryMs?: number;
  /** Every change of leadership, in order; false also when the leader's connection is lost. */
  readonly onChange: (leader: boolean) => void;
  /** @default silent */
  readonly logger?: Logger;
}

/** The advisory lock id of a key: the first 8 bytes of its SHA-256 as a signed bigint (decimal string). */
export function lockIdOf(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

const MAX_BACKOFF_MS = 30_000;

/**
 * One leader among the processes of a cluster sharing a PostgreSQL database, for work that must run
 * in one process only (singleton trigger sources: IMAP polling, MQTT subscriptions, file watches).
 * The leader holds a session-level advisory lock on a dedicated connection. The lock dies with the
 * connection, so a leader that crashes or loses the database gives leadership up with no lease to
 * expire, and a follower takes it on its next try (every `retryMs`). The leader runs `select 1` on
 * each tick, so a dead connection is noticed within about `retryMs`; it then reports false at once
 * and reconnects with backoff. A short overlap is possible (the old leader notices after the server
 * released its lock): singleton sources dedupe by idempotency key.
 */
export class LeaderElection {
  private client: pg.Client | undefined;
  private leader = false;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private readonly lockId: string;
  private readonly retryMs: number;

  private constructor(private readonly opts: LeaderElectionOptions) {
    this.lockId = lockIdOf(opts.key);
    this.retryMs = opts.retryMs ?? 2000;
  }

  /** Connects and makes the first try; fails if the database cannot be reached at all. Later drops are retried. */
  static async start(opts: LeaderElectionOptions): Promise<LeaderElection> {
    const e = new LeaderElection(opts);
    e.client = await e.connect();
    e.ticking = e.tick();
    await e.ticking;
    e.schedule();
    return e;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Releases the lock (ending the connection releases it too) and stops trying. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    const client = this.client;
    this.client = undefined;
    if (client) {
      if (this.leader) await client.query('select pg_advisory_unlock($1::bigint)', [this.lockId]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    this.set(false);
  }

  private async connect(): Promise<pg.Client> {
  // pg is loaded here, not at start: a SQLite instance never connects (issue 14, idle RSS).
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString: this.opts.connectionString, keepAlive: true, application_name: 'itw-leader',
      connectionTimeoutMillis: 10_000, query_timeout: Math.max(5000, this.retryMs),
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  private async tick(): Promise<void> {
    const client = this.client;
    try {
      if (!client) {
        this.client = await this.connect();
        if (this.stopped) return;
        return await this.tick();
      }
      if (this.leader) {
        await client.query('select 1');
      } else {
        const r = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [this.lockId]);
        // Stopped meanwhile: stop() ends the connection, which releases the lock.
        if (r.rows[0]?.locked === true && !this.stopped && this.client === client) this.set(true);
      }
      this.failures = 0;
    } catch (err) {
      if (client) this.lost(client, err);
      else {
        this.failures += 1;
        if (!this.stopped) (this.opts.logger ?? silentLogger).warn({ err }, 'leader election could not connect; retrying');
      }
    }
  }

  /** The connection is gone (or unusable): leadership with it. */
  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.failures += 1;
    this.set(false);
    if (this.stopped) return;
    (this.opts.logger ?? silentLogger).warn({ err }, 'leader election lost its connection; reconnecting');
    // Between ticks: the next one waits the backoff, giving the others the first try.
    if (this.timer) {
      clearTimeout(this.timer);
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = this.failures === 0 ? this.retryMs : Math.min(Math.max(this.retryMs, MAX_BACKOFF_MS), this.retryMs * 2 ** Math.min(this.failures, 10));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick().finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }

  private set(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    try {
      this.opts.onChange(leader);
    } catch (err) {
      (this.opts.logger ?? silentLogger).error({ err }, 'leadership listener failed');
    }
  }
}
