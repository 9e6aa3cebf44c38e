/**
 * Signatures accepted while their signed timestamp is still within the tolerance window. One
 * process's memory: in a cluster each API process refuses replays it saw itself, and the delivery
 * id (idempotency key) makes a replay that reaches another process start nothing new either.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = 100_000) {}

  /** True the first time `key` is offered before `until`; false for a replay. */
  firstSeen(key: string, until: number, now: number): boolean {
    const known = this.seen.get(key);
    if (known !== undefined && known >= now) return false;
    if (this.seen.size >= this.max) this.prune(now);
    this.seen.set(key, until);
    return true;
  }

  private prune(now: number): void {
    for (const [k, until] of this.seen) if (until < now) this.seen.delete(k);
    // Still full of live entries: drop the oldest inserted rather than grow without bound.
    while (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value!);
  }
}
