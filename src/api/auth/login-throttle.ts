import { ItwError } from '../../model/errors.js';

const WINDOW_MS = 60_000;

/**
 * Failed logins per (username, IP) and per IP alone in a sliding one-minute window. Only failures
 * count, so a user who types the right password is never locked out by their own successful logins;
 * a success clears the (username, IP) slate. The per-IP budget stops one address spraying random
 * usernames (each costs an argon2 hash). In memory: one process's view, which is what a brute-force
 * from one address hits anyway.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly maxFailuresPerIp: number = Infinity,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws `rate_limited` (429) while the (username, IP) pair or the IP is over its budget. */
  check(username: string, ip: string): void {
    this.checkKey(`${username}\u0000${ip}`, this.maxFailures);
    this.checkKey(`\u0000ip\u0000${ip}`, this.maxFailuresPerIp);
  }

  fail(username: string, ip: string): void {
    for (const key of [`${username}\u0000${ip}`, `\u0000ip\u0000${ip}`]) this.failures.set(key, [...this.recent(key), this.now()]);
    if (this.failures.size > 10_000) this.sweep();
  }

  private checkKey(key: string, max: number): void {
    const recent = this.recent(key);
    if (recent.length >= max) {
      const retryAfter = Math.max(1, Math.ceil((recent[recent.length - max]! + WINDOW_MS - this.now()) / 1000));
      throw new ItwError('rate_limited', `too many failed logins; try again in ${retryAfter}s`, { details: { retry_after_s: retryAfter } });
    }
  }

  succeed(username: string, ip: string): void {
    this.failures.delete(`${username}\u0000${ip}`);
  }

  private recent(key: string): number[] {
    const from = this.now() - WINDOW_MS;
    return (this.failures.get(key) ?? []).filter((t) => t > from);
  }

  private sweep(): void {
    for (const key of [...this.failures.keys()]) {
      const recent = this.recent(key);
      if (recent.length === 0) this.failures.delete(key);
      else this.failures.set(key, recent);
    }
  }
}
