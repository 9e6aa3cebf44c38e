import { silentLogger, type Logger } from '../model/logger.js';
import { databaseFault, type DatabaseFault } from './database-errors.js';

/** `available`, or why the database cannot be used right now. */
export type DatabaseStatus = 'available' | DatabaseFault;

export interface DatabaseStatusChange {
  readonly status: DatabaseStatus;
  readonly previous: DatabaseStatus;
  /** The error that moved it (none when it came back). */
  readonly reason: string | undefined;
  /** How long the previous status lasted, ms. */
  readonly afterMs: number;
}

export interface AvailabilityOptions {
  /** A cheap round trip that also proves writes land (`select 1`; a header write on SQLite). */
  probe(): Promise<void>;
  /** Pause between probes while the database is down or full. */
  readonly probeMs: number;
  /** @default silent */
  readonly logger?: Logger;
}

/**
 * The database's health as this process sees it. Store users report the errors they get; one
 * that means the whole database is gone or full (not a bad request) turns the status to
 * `unavailable`/`full`, and the monitor probes until the database answers again. Listeners hear
 * each change once: the API answers 503/507 and /health says why, polling triggers pause, and when
 * it is back the engine reloads every execution whose commit failed meanwhile (engine.reloadStale).
 */
export class DatabaseAvailability {
  private current: DatabaseStatus = 'available';
  private why: string | undefined;
  private changedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;
  private readonly listeners = new Set<(change: DatabaseStatusChange) => void>();

  constructor(private readonly opts: AvailabilityOptions) {}

  get status(): DatabaseStatus {
    return this.current;
  }

  /** The last error that made the database unusable, while it is. */
  get reason(): string | undefined {
    return this.current === 'available' ? undefined : this.why;
  }

  /**
   * Reports an error a store call threw. True when it is a database-wide fault (the monitor now
   * probes and calls the listeners when it is back); false for errors about the call itself.
   */
  report(err: unknown): boolean {
    const fault = databaseFault(err);
    if (fault === undefined) return false;
    this.enter(fault, err);
    return true;
  }

  onChange(listener: (change: DatabaseStatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enter(fault: DatabaseFault, err: unknown): void {
    this.why = describe(err);
    if (fault !== this.current) this.change(fault);
    this.schedule();
  }

  /** The current fault, `unavailable` when there is none yet. */
  private fault(): DatabaseFault {
    return this.current === 'available' ? 'unavailable' : this.current;
  }

  private change(status: DatabaseStatus): void {
    const previous = this.current;
    const now = Date.now();
    const change: DatabaseStatusChange = { status, previous, reason: status === 'available' ? undefined : this.why, afterMs: now - this.changedAt };
    this.current = status;
    this.changedAt = now;
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        (this.opts.logger ?? silentLogger).error({ err }, 'database availability listener failed');
      }
    }
  }

  private schedule(): void {
    if (this.timer !== undefined || this.probing || this.closed) return;
    // Real time, not the injected clock: a fake clock in tests must not stall recovery.
    this.timer = setTimeout(() => void this.probe(), this.opts.probeMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    this.timer = undefined;
    if (this.closed || this.current === 'available') return;
    this.probing = true;
    try {
      await this.opts.probe();
      this.probing = false;
      if (!this.closed) this.change('available');
    } catch (err) {
      this.probing = false;
      // A probe error that is not a known fault (a closing pool...) still means "not back yet".
      this.enter(databaseFault(err) ?? this.fault(), err);
    }
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Our typed wrappers say what the fault is; the reason is what caused it.
  if (err.cause !== undefined && /^(database_unavailable|insufficient_storage)$/.test(String((err as { code?: unknown }).code))) return describe(err.cause);
  const code = (err as { code?: unknown }).code;
  const inner = err instanceof AggregateError && err.errors[0] instanceof Error ? `: ${(err.errors[0]).message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${inner}`.slice(0, 300);
}
