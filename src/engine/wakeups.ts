import type { Clock } from './clock.js';

interface Entry {
  readonly at: number;
  readonly key: string;
}

/** Below this many entries a heap is never rebuilt: stale entries cost nothing worth the rebuild. */
const MIN_COMPACT = 1024;

/**
 * Durable wake-ups live in the database (node_executions.wake_at, executions.deadline_at); this heap
 * only mirrors them so one clock timer serves thousands of parked executions.
 *
 * A deleted or rescheduled key leaves its old entry in the heap, skipped when it comes due. Left at
 * that, every execution that finished before its deadline (an hour by default) kept an entry for that
 * hour: one per webhook under load, hundreds of megabytes after an hour at a few thousand a second.
 * So once stale entries outnumber live ones the heap is rebuilt from `due` (linear in the live ones,
 * after at least as many deletes: constant time per delete on average).
 */
export class Wakeups {
  private heap: Entry[] = [];
  private readonly due = new Map<string, number>();
  private timer: unknown;
  private armedAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string) => void,
  ) {}

  get size(): number {
    return this.due.size;
  }

  /** Entries in the heap, stale ones included: at most about twice `size` (or MIN_COMPACT). */
  get held(): number {
    return this.heap.length;
  }

  /** Schedules (or reschedules) `key` at `at`. */
  set(key: string, at: number): void {
    const rescheduled = this.due.has(key);
    this.due.set(key, at);
    this.push({ at, key });
    if (rescheduled) this.compactIfStale();
    this.arm();
  }

  delete(key: string): void {
    if (this.due.delete(key)) this.compactIfStale();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedAt = Infinity;
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    const ready: string[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const e = this.pop()!;
      // Entries superseded by a later set() or a delete() are stale: skip them.
      if (this.due.get(e.key) === e.at) {
        this.due.delete(e.key);
        ready.push(e.key);
      }
    }
    this.arm();
    for (const key of ready) this.onDue(key);
  }

  private arm(): void {
    const head = this.heap[0];
    if (!head || head.at >= this.armedAt) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.armedAt = head.at;
    this.timer = this.clock.setTimer(() => this.fire(), head.at - this.clock.now());
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(from: number): void {
    const h = this.heap;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.at < h[m]!.at) m = l;
      if (r < h.length && h[r]!.at < h[m]!.at) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }

  private compactIfStale(): void {
    if (this.heap.length < MIN_COMPACT || this.heap.length <= 2 * this.due.size) return;
    this.heap = Array.from(this.due, ([key, at]): Entry => ({ at, key }));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    // The armed timer stays: if it was for a stale entry, it fires early, finds nothing due and re-arms.
  }
}
