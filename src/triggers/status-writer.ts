import type { TriggerRepository, TriggerStatusPatch } from '../store/trigger-repository.js';

interface Pending {
  status?: string;
  last_error?: string | null;
  fired: number;
  last_fired_at?: number;
  dropped: number;
  debounced: number;
}

/**
 * Trigger status (state, last error, fire count, last fired) written behind the hot path: a webhook
 * under load fires thousands of times a second, and one UPDATE per firing would cost as much as the
 * execution itself. Changes coalesce per trigger and are flushed every `everyMs`, before reads
 * (flush()) and at stop.
 */
export class StatusWriter {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly repo: TriggerRepository,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  state(triggerId: string, status: string, lastError?: string | null): void {
    const p = this.entry(triggerId);
    p.status = status;
    if (lastError !== undefined) p.last_error = lastError;
    this.arm();
  }

  fired(triggerId: string, at: number): void {
    const p = this.entry(triggerId);
    p.fired += 1;
    p.last_fired_at = at;
    this.arm();
  }

  /** An event refused by the trigger's rate_limit. */
  dropped(triggerId: string): void {
    this.entry(triggerId).dropped += 1;
    this.arm();
  }

  /** An event a debounce folded into a later one. */
  debounced(triggerId: string): void {
    this.entry(triggerId).debounced += 1;
    this.arm();
  }

  /** Writes what is pending, then ignores later changes: the store is about to close. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Writes everything pending; resolves after the writes (and any flush under way) are done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    const run = this.flushing.then(async () => {
      for (const [id, p] of batch) {
        const patch: TriggerStatusPatch = {
          ...(p.status !== undefined ? { status: p.status } : {}),
          ...(p.last_error !== undefined ? { last_error: p.last_error } : {}),
          ...(p.fired > 0 ? { fired: p.fired, last_fired_at: p.last_fired_at! } : {}),
          ...(p.dropped > 0 ? { dropped: p.dropped } : {}),
          ...(p.debounced > 0 ? { debounced: p.debounced } : {}),
        };
        try {
          await this.repo.updateStatus(id, patch);
        } catch (err) {
          this.onError(err);
        }
      }
    });
    this.flushing = run;
    return run;
  }

  private entry(id: string): Pending {
    let p = this.pending.get(id);
    if (!p) {
      p = { fired: 0, dropped: 0, debounced: 0 };
      this.pending.set(id, p);
    }
    return p;
  }

  private arm(): void {
    if (this.closed) {
      this.pending.clear();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.everyMs);
    this.timer.unref();
  }
}
