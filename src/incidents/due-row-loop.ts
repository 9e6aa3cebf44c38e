import type { Clock } from '../engine/clock.js';

export interface DueRowLoopOptions {
  readonly clock: Clock;
  /** Longest sleep between looks, for rows other processes made due (this process is poked for its own). */
  readonly pollMs: number;
  /** Handles every row due now, claiming each first; stops early once `active()` is false. */
  readonly handleDue: (active: () => boolean) => Promise<void>;
  /** When the next row falls due (epoch ms), undefined when none is pending. */
  readonly earliestDue: () => Promise<number | undefined>;
  /** Calls `poke` whenever this process changes the rows; returns the unsubscribe. */
  readonly subscribe: (poke: () => void) => () => void;
  /** A look that failed; the next one comes after `pollMs`. */
  readonly onError: (err: unknown) => void;
}

/**
 * The watch loop of a table of due rows (escalation timers, the provider sync outbox): look at start
 * (rows that fell due while nothing ran), whenever poked, and when the earliest pending row falls due,
 * capped at `pollMs` for rows of other processes. One look at a time; a poke during a look makes
 * another, so no wake-up is lost. Rows are claimed with a lease by whoever handles them, so any number
 * of processes may run the same loop.
 */
export class DueRowLoop {
  /** Aborted by stop(): work in flight is cut short, its row falls due again when its lease ends. */
  readonly abort = new AbortController();
  private timer: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: DueRowLoopOptions) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.opts.subscribe(() => this.poke());
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

  /** Look now. A look already running looks again when it ends. */
  poke(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Starts a microtask later, so pokes in one burst coalesce into one look, and a look started by a
    // clock callback reads the time after the callback's turn (inside FakeClock.advance: the target time).
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
        await this.opts.handleDue(() => this.started);
        await this.arm();
      } catch (err) {
        this.opts.onError(err);
        this.armIn(this.opts.pollMs);
      }
    } while (this.again && this.started);
  }

  private async arm(): Promise<void> {
    if (!this.started) return;
    const earliest = await this.opts.earliestDue();
    const wait = earliest === undefined ? this.opts.pollMs : Math.min(this.opts.pollMs, earliest - this.opts.clock.now());
    this.armIn(Math.max(0, wait));
  }

  private armIn(ms: number): void {
    if (!this.started) return;
    this.opts.clock.clearTimer(this.timer);
    this.timer = this.opts.clock.setTimer(() => this.poke(), ms);
  }
}
