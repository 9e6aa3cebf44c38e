import type { Clock } from '../engine/clock.js';
import { ItwError } from '../model/errors.js';
import type { FiringPolicy } from '../model/firing-policy.js';
import type { HeldFirings } from './held-firings.js';
import { RateWindow } from './rate-window.js';
import type { Fired, Firing } from './trigger-source.js';

export interface FiringGateDeps {
  readonly clock: Clock;
  /** The binding's trigger id: its held event's key in `held`. */
  readonly triggerId: string;
  /** Where the debounced burst's last event waits (held-firings.ts). */
  readonly held: HeldFirings;
  /** True for HTTP ingress: an event over the rate limit is refused (429); false: dropped and counted. */
  readonly refuse: boolean;
  /** Starts the execution of a firing (the manager's fire). */
  start(f: Firing): Promise<Fired>;
  dropped(): void;
  debounced(): void;
  failed(err: unknown): void;
}

/**
 * One binding's `rate_limit` and `debounce_seconds`, applied in that order before an event starts
 * an execution. The debounce keeps the burst's last event (and its idempotency key) and starts it
 * once no event arrived for `debounce_seconds`; earlier events of the burst are counted, not run.
 * The held event waits in `held` (the database in a server): a process killed within the quiet
 * period leaves it to the next one (`wake` at start and on every resync), and the events of a burst
 * that reach different processes of a cluster replace each other in one row. Its execution is
 * started before the row is released, under the event's key or one made of when it was due: a crash
 * between the two, or two processes whose timers ran out together, start it once.
 * The rate limit is kept by each process for the events it receives.
 */
export class FiringGate {
  private readonly window: RateWindow | undefined;
  private timer: unknown;
  private stopped = false;

  constructor(private readonly policy: FiringPolicy, private readonly deps: FiringGateDeps) {
    const rl = policy.rate_limit;
    this.window = rl ? new RateWindow(rl.max, rl.per_seconds * 1000) : undefined;
  }

  async fire(f: Firing): Promise<Fired> {
    const now = this.deps.clock.now();
    const wait = this.window?.take(now) ?? 0;
    if (wait > 0) {
      this.deps.dropped();
      if (this.deps.refuse) {
        const seconds = Math.max(1, Math.ceil(wait / 1000));
        throw new ItwError('rate_limited', `this trigger accepts at most ${this.policy.rate_limit!.max} events per ${this.policy.rate_limit!.per_seconds} s; retry in ${seconds} s`, { details: { retry_after_s: seconds } });
      }
      return { duplicate: false, dropped: true };
    }
    const seconds = this.policy.debounce_seconds;
    if (seconds === undefined) return this.deps.start(f);
    const until = now + seconds * 1000;
    if (await this.deps.held.hold(this.deps.triggerId, { input: f.input, key: f.key, dueAt: until })) this.deps.debounced();
    this.arm(until);
    return { duplicate: false, debounced: { until } };
  }

  /** Starts the held event if its quiet period is over (else waits for it): after a restart, and on every resync. */
  wake(): Promise<void> {
    return this.due(false);
  }

  /** The binding stops: its timer goes, and with `flush` the held event starts now rather than when due. */
  async stop(flush: boolean): Promise<void> {
    this.deps.clock.clearTimer(this.timer);
    this.stopped = true;
    if (flush) await this.due(true);
  }

  private arm(at: number): void {
    this.deps.clock.clearTimer(this.timer);
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(() => void this.due(false), Math.max(0, at - this.deps.clock.now()));
  }

  private async due(now: boolean): Promise<void> {
    if (this.policy.debounce_seconds === undefined) return;
    try {
      const held = await this.deps.held.get(this.deps.triggerId);
      if (!held) return;
      // Another event (maybe in another process) moved the end of the quiet period.
      if (!now && held.dueAt > this.deps.clock.now()) return void this.arm(held.dueAt);
      this.deps.clock.clearTimer(this.timer);
      await this.deps.start({ input: held.input, key: held.key ?? `debounced:${held.dueAt}` });
      await this.deps.held.release(this.deps.triggerId, held.dueAt);
    } catch (err) {
      this.deps.failed(err);
    }
  }
}
