import type { Kysely } from 'kysely';
import type { Clock } from '../engine/clock.js';
import { ItwError, RetryableError } from '../model/errors.js';
import { silentLogger, type Logger } from '../model/logger.js';
import type { IncidentService } from './incident-service.js';
import type { Database } from '../store/schema.js';
import { DueRowLoop } from './due-row-loop.js';
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
 * record the outcome in one transaction, retry retryable failures with backoff. Watched by the same
 * DueRowLoop as the EscalationScheduler, so it survives restarts and runs in any number of API processes.
 */
export class ProviderSync {
  private readonly loop: DueRowLoop;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly service: IncidentService,
    private readonly opts: ProviderSyncOptions,
  ) {
    this.loop = new DueRowLoop({
      clock: opts.clock, pollMs: opts.pollMs ?? 30_000,
      handleDue: (active) => this.sendDue(active),
      earliestDue: () => earliestPendingSync(this.db),
      subscribe: (poke) => this.service.onSyncChanged(poke),
      onError: (err) => (opts.logger ?? silentLogger).error({ err }, 'incidents: provider sync failed'),
    });
  }

  static over(db: Kysely<Database>, service: IncidentService, opts: ProviderSyncOptions): ProviderSync {
    return new ProviderSync(db, service, opts);
  }

  /** Sends whatever was queued while nothing ran (a crash, downtime), then keeps watching. */
  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Resolves once no look is in progress (tests: after advancing a FakeClock). */
  drain(): Promise<void> {
    return this.loop.drain();
  }

  poke(): void {
    this.loop.poke();
  }

  private async sendDue(active: () => boolean): Promise<void> {
    const batch = this.opts.batchSize ?? 50;
    for (;;) {
      const due = await dueSyncs(this.db, this.opts.clock.now(), batch);
      for (const job of due) {
        if (!active()) return;
        await this.sendOne(job);
      }
      if (due.length < batch) return;
    }
  }

  private async sendOne(job: SyncJob): Promise<void> {
    const now = this.opts.clock.now();
    if (!(await claimSync(this.db, job.id, now, now + (this.opts.leaseMs ?? 120_000)))) return; // another process has it
    const signal = this.loop.abort.signal;
    let outcome: SyncOutcome;
    try {
      await this.opts.send(job, signal);
      outcome = { ok: true };
    } catch (err) {
      // Shutting down mid-send: the row stays claimed and falls due again when the lease ends.
      if (signal.aborted) return;
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
}
