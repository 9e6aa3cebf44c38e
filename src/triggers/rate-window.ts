/**
 * A sliding-window log of one trigger's accepted events: at most `max` in any `perMs`. Memory is
 * bounded by `max` timestamps. `take` answers how long until one more would be accepted when full.
 */
export class RateWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly max: number, private readonly perMs: number) {}

  /** 0 when accepted (and counted); otherwise the milliseconds until the oldest event leaves the window. */
  take(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.perMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head < this.max) {
      this.times.push(now);
      return 0;
    }
    return this.times[this.head]! + this.perMs - now;
  }
}
