import type { Clock } from '../engine/clock.js';
import { ItwError } from '../model/errors.js';
import type { FiringPolicy } from '../model/firing-policy.js';
import { RateWindow } from './rate-window.js';
import type { Fired, Firing } from './trigger-source.js';

export interface FiringGateDeps {
  readonly clock: Clock;
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
 * Held in memory by the process that received the events: a process killed within the window
 * loses the held event (its callers were answered 202 `debounced`).
 */
export class FiringGate {
  private readonly window: RateWindow | undefined;
  private held: { firing: Firing; timer: unknown; until: number } | undefined;

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
    if (this.held) {
      this.deps.clock.clearTimer(this.held.timer);
      this.deps.debounced();
    }
    const until = now + seconds * 1000;
    this.held = { firing: f, until, timer: this.deps.clock.setTimer(() => void this.flush(), seconds * 1000) };
    return { duplicate: false, debounced: { until } };
  }

  /** Starts the held event now (its quiet period ended, or the binding stops). */
  async flush(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    this.deps.clock.clearTimer(held.timer);
    try {
      await this.deps.start(held.firing);
    } catch (err) {
      this.deps.failed(err);
    }
  }
}
