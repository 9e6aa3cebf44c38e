import type { EngineStore, Transition } from './store-port.js';

interface Pending {
  readonly t: Transition;
  resolve(accepted: boolean): void;
  reject(err: unknown): void;
}

/**
 * Group commit: transitions submitted while a commit is in flight go together in the next one.
 * Each caller learns only after its transition is durable (and whether a fencing check refused it),
 * so nothing is reported done before its commit. One transaction per batch is what lets SQLite
 * persist tens of thousands of node results a second (docs/BENCHMARKS.md). A store with more than
 * one commit lane (PostgreSQL: a commit is mostly round trips and a WAL flush, not CPU) gets the next
 * batch started while earlier ones are in flight.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lastBatchSize = 0;

  constructor(
    private readonly store: EngineStore,
    private readonly maxBatch = 2000,
  ) {}

  commit(t: Transition): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ t, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= Math.max(1, this.store.commitLanes ?? 1)) return;
    this.scheduled = true;
    const flush = (): void => {
      this.scheduled = false;
      void this.flush();
    };
    // setImmediate lets every tick already under way add its transition to this batch. When commits
    // are CPU on this thread (SQLite) and the last batch held more than one transition (concurrent
    // load), wait a second turn, so requests whose bytes arrived meanwhile (the poll between the turns
    // does not wait) start and join too: fewer, larger commits, W1 at 10 and 50 connections 9-12 %
    // fewer CPU ms per request in alternating runs. A lone request (batches of one) gains nothing from
    // waiting, and a commit that is round trips (PostgreSQL) starts at once: the same wait cost 9 % of
    // W1's req/s at 50 connections there (docs/BENCHMARKS.md).
    if (this.store.commitsOnThisThread === true && this.lastBatchSize > 1) setImmediate(() => setImmediate(flush));
    else setImmediate(flush);
  }

  private async commitAlone(p: Pending): Promise<void> {
    try {
      const { rejected } = await this.store.commit([p.t]);
      p.resolve(!rejected.has(p.t.executionId));
    } catch (err) {
      p.reject(err);
    }
  }

  private async flush(): Promise<void> {
    this.inFlight++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.lastBatchSize = batch.length;
        try {
          const { rejected } = await this.store.commit(batch.map((p) => p.t));
          for (const p of batch) p.resolve(!rejected.has(p.t.executionId));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // One bad transition (a duplicate idempotency key...) must not fail its neighbours: retry alone.
          else for (const p of batch) await this.commitAlone(p);
        }
      }
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
