import type { Kysely } from 'kysely';
import type { Clock } from '../engine/clock.js';
import { ItwError, RetryableError } from '../model/errors.js';
import { silentLogger, type Logger } from '../model/logger.js';
import type { IncidentService } from './incident-service.js';
import type { Database } from '../store/schema.js';
import { claimSync, dueSyncs, earliestPendingSync, type SyncJob, type SyncOutcome } from './provider-sync-outbox.js';

/** Sends one queued state change to its provider (wired by app.ts: actions/incident/provider-sender.ts). */
export type ProviderSender = (job: SyncJob, signal: AbortSignal) => Promise<void>;

export interface ProviderSyncOptions {
  readonly clock: Clock;
  readonly send: ProviderSender;
  /** Longest sleep between looks, for rows other processes queued. @default 30_000 */
  readonly pollMs?: number;
  /** How long a claimed row is ours before another process may send it again. @default 120_000 */
  readonly leaseMs?: number;
  /** Attempts before a retryable failure is given up (shown as failed on the timeline). @default 10 */
  readonly maxAttempts?: number;
  /** First retry delay, doubled per attempt up to `maxBackoffMs`; a longer Retry-After wins. @default 30_000 (PagerDuty's documented 30 s) */
  readonly initialBackoffMs?: number;
  /** @default 900_000 */
  readonly maxBackoffMs?: number;
  /** Rows sent per look. @default 50 */
  readonly batchSize?: number;
  /** Where a failed drain is reported (the row stays due and is tried again). @default silentLogger */
  readonly logger?: Logger;
}

/**
 * Drains the incident sync outbox (provider-sync-outbox.ts): claim a due row with a lease, send it,
 * record the outcome in one transaction, retry retryable failures with backoff. The same shape as the
 * EscalationScheduler, so it survives restarts and runs in any number of API processes.
 */
export class ProviderSync {
  private readonly abort = new AbortController();
  private timer: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly service: IncidentService,
    private readonly opts: ProviderSyncOptions,
  ) {}

  static over(db: Kysely<Database>, service: IncidentService, opts: ProviderSyncOptions): ProviderSync {
    return new ProviderSync(db, service, opts);
  }

  /** Sends whatever was queued while nothing ran (a crash, downtime), then keeps watching. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.service.onSyncChanged(() => this.poke());
    this.poke();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.opts.clock.clearTimer(this.timer);
    this.abort.abort();
    await this.drain();
  }

  /** Resolves once no look is in progress (tests: after advancing a FakeClock). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  poke(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = Promise.resolve()
      .then(() => this.loop())
      .finally(() => {
        this.running = undefined;
      });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.sendDue();
        await this.arm();
      } catch (err) {
        (this.opts.logger ?? silentLogger).error({ err }, 'incidents: provider sync failed');
        this.armIn(this.opts.pollMs ?? 30_000);
      }
    } while (this.again && this.started);
  }

  private async sendDue(): Promise<void> {
    const batch = this.opts.batchSize ?? 50;
    for (;;) {
      const due = await dueSyncs(this.db, this.opts.clock.now(), batch);
      for (const job of due) {
        if (!this.started) return;
        await this.sendOne(job);
      }
      if (due.length < batch) return;
    }
  }

  private async sendOne(job: SyncJob): Promise<void> {
    const now = this.opts.clock.now();
    if (!(await claimSync(this.db, job.id, now, now + (this.opts.leaseMs ?? 120_000)))) return; // another process has it
    let outcome: SyncOutcome;
    try {
      await this.opts.send(job, this.abort.signal);
      outcome = { ok: true };
    } catch (err) {
      // Shutting down mid-send: the row stays claimed and falls due again when the lease ends.
      if (this.abort.signal.aborted) return;
      outcome = { ok: false, error: err instanceof Error ? err.message : String(err), retryAt: this.retryAt(job, err) };
    }
    await this.service.recordSyncAttempt(job, outcome);
  }

  /** When to try again, or undefined to give up: non-retryable errors (400, auth) fail at once. */
  private retryAt(job: SyncJob, err: unknown): number | undefined {
    const retryable = err instanceof ItwError ? err.retryable : true; // network errors are not ItwErrors
    const attempt = job.attempts + 1;
    if (!retryable || attempt >= (this.opts.maxAttempts ?? 10)) return undefined;
    const initial = this.opts.initialBackoffMs ?? 30_000;
    const backoff = Math.min(initial * 2 ** (attempt - 1), this.opts.maxBackoffMs ?? 900_000);
    const asked = err instanceof RetryableError ? (err.retryAfterMs ?? 0) : 0;
    return this.opts.clock.now() + Math.max(backoff, asked);
  }

  private async arm(): Promise<void> {
    if (!this.started) return;
    const earliest = await earliestPendingSync(this.db);
    const poll = this.opts.pollMs ?? 30_000;
    const wait = earliest === undefined ? poll : Math.min(poll, earliest - this.opts.clock.now());
    this.armIn(Math.max(0, wait));
  }

  private armIn(ms: number): void {
    if (!this.started) return;
    this.opts.clock.clearTimer(this.timer);
    this.timer = this.opts.clock.setTimer(() => this.poke(), ms);
  }
}
