import { silentLogger, type Logger } from '../model/logger.js';
import type { Kysely } from 'kysely';
import type { Clock } from '../engine/clock.js';
import { claimTimer, dueTimers, earliestPendingDue, type EscalationTimer } from './escalation-timers.js';
import type { NotificationOutcome } from './incident-escalation.js';
import type { IncidentService } from './incident-service.js';
import type { Database } from '../store/schema.js';
import { DueRowLoop } from './due-row-loop.js';
import type { Notifier } from './notifier.js';

export interface EscalationSchedulerOptions {
  readonly clock: Clock;
  readonly notifier: Notifier;
  /**
   * Longest sleep between looks at the table, for timers other processes scheduled (this process is
   * woken at once for its own). @default 30_000
   */
  readonly pollMs?: number;
  /** How long a claimed timer is ours before another process may fire it again. @default 300_000 */
  readonly leaseMs?: number;
  /** Timers fired per look. @default 50 */
  readonly batchSize?: number;
  /** @default logged to `logger` */
  readonly onError?: (err: unknown) => void;
  /** @default silent */
  readonly logger?: Logger;
}

/**
 * Fires due escalation timers: claim the row, page the level's targets, then record the outcome and
 * schedule the next level in one transaction (IncidentService.completeEscalation). Timers are rows,
 * so escalation survives restarts and runs in any number of processes; one clock timer is armed for
 * the earliest due row, capped at `pollMs`.
 */
export class EscalationScheduler {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly loop: DueRowLoop;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly service: IncidentService,
    private readonly opts: EscalationSchedulerOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 300_000;
    this.batchSize = opts.batchSize ?? 50;
    this.loop = new DueRowLoop({
      clock: opts.clock, pollMs: opts.pollMs ?? 30_000,
      handleDue: (active) => this.fireDue(active),
      earliestDue: () => earliestPendingDue(this.db),
      subscribe: (poke) => this.service.onTimersChanged(poke),
      onError: opts.onError ?? ((err) => (opts.logger ?? silentLogger).error({ err }, 'escalation scheduler failed')),
    });
  }

  /** Over the database the service uses (`store.db`). */
  static over(db: Kysely<Database>, service: IncidentService, opts: EscalationSchedulerOptions): EscalationScheduler {
    return new EscalationScheduler(db, service, opts);
  }

  /** Fires whatever fell due while nothing ran (downtime), then keeps watching. */
  start(): void {
    this.loop.start();
  }

  /** Stops arming and aborts pages in flight; a timer whose pages were cut short fires again after its lease. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Resolves once no look is in progress (tests: after advancing a FakeClock). */
  drain(): Promise<void> {
    return this.loop.drain();
  }

  /** Look now. A look already running looks again when it ends, so no wake-up is lost. */
  poke(): void {
    this.loop.poke();
  }

  private async fireDue(active: () => boolean): Promise<void> {
    for (;;) {
      const due = await dueTimers(this.db, this.opts.clock.now(), this.batchSize);
      for (const timer of due) {
        if (!active()) return;
        await this.fire(timer);
      }
      if (due.length < this.batchSize) return;
    }
  }

  private async fire(timer: EscalationTimer): Promise<void> {
    const now = this.opts.clock.now();
    if (!(await claimTimer(this.db, timer.id, now, now + this.leaseMs))) return; // another process has it
    const signal = this.loop.abort.signal;
    const page = await this.service.pageFor(timer);
    const outcomes = page
      ? await Promise.all(
          page.targets.map(async (target, i): Promise<NotificationOutcome> => {
            const ctx = { idempotencyKey: `${timer.id}:${i}`, signal, level: timer.level, round: timer.round };
            try {
              await this.opts.notifier.notify(target, page.incident, ctx);
              return { target, ok: true };
            } catch (err) {
              return { target, ok: false, error: err instanceof Error ? err.message : String(err) };
            }
          }),
        )
      : [];
    // Shutting down mid-page: leave the timer claimed; it falls due again when the lease ends.
    if (signal.aborted) return;
    await this.service.completeEscalation(timer, outcomes);
  }
}
