import type { Clock } from './clock.js';

/** What the engine tells the process about store errors (store/availability.ts in the app). */
export interface StoreHealth {
  /**
   * Reports an error a store call threw. True when it means the whole database is down or full:
   * whoever implements it then calls `Engine.reloadStale()` once the database answers again.
   */
  report(err: unknown): boolean;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/**
 * Executions whose last tick failed to commit (or could not even load). The commit may or may not
 * have landed, so the in-memory image, its wake-up and its dispatches are dropped and the database
 * decides: each is reloaded and recovered (the same path as at start) once the database is back,
 * or after a backoff when the error was about that execution only.
 */
export class StaleImages {
  private readonly ids = new Set<string>();
  private timer: unknown;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly o: { readonly clock: Clock; readonly health: StoreHealth | undefined; reload(executionId: string): void }) {}

  get size(): number {
    return this.ids.size;
  }

  /** Records the failure; true when it was a database-wide fault (logged once by the monitor, not per execution). */
  failed(executionId: string, err: unknown): boolean {
    this.ids.add(executionId);
    if (this.o.health?.report(err)) return true;
    if (this.timer === undefined) {
      this.timer = this.o.clock.setTimer(() => {
        this.timer = undefined;
        this.reloadAll();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
    return false;
  }

  /** The database answers again: reload every execution recorded so far. */
  reloadAll(): void {
    if (this.ids.size === 0) {
      this.retryMs = FIRST_RETRY_MS;
      return;
    }
    const ids = [...this.ids];
    this.ids.clear();
    for (const id of ids) this.o.reload(id);
  }

  stop(): void {
    if (this.timer !== undefined) this.o.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
