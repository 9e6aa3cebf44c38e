import { ItwError } from '../../model/errors.js';

/**
 * At most `concurrency` password hashes at once, a short queue behind them, 429 beyond. argon2id
 * takes 64 MiB and a libuv thread per hash: 40 parallel logins filled the thread pool (4 threads,
 * shared with file reads and DNS) and stalled static files for 10-15 s. Capped, the pool keeps free
 * threads and an attacker's burst is refused at once instead of queued without end. The queue is
 * bounded, so a queued login waits at most `queue / concurrency` hash times; no timer needed.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number = concurrency * 2,
  ) {}

  /** Runs `fn` when a slot is free; throws `rate_limited` (429, Retry-After) when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new ItwError('rate_limited', 'too many logins in progress; try again shortly', { details: { retry_after_s: 1 } });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
