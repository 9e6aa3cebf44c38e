import type { Logger } from '../model/logger.js';
import { KeyedChains } from './keyed-chains.js';
import type { EngineStore } from './store-port.js';

export interface KeyAdmissionDeps {
  readonly store: Pick<EngineStore, 'claimConcurrencySlot' | 'queuedForKey' | 'keysWithQueued'>;
  /** Starts an execution that holds a slot (the engine's `begin` event; a no-op once it began). */
  begin(executionId: string): Promise<void>;
  readonly logger: Logger;
}

/**
 * Concurrency keys (settings.concurrency): executions with the same key value run at most `limit` at
 * a time. Each waits `pending` with its key; `admit` gives slots to the oldest first and begins
 * them. The limit itself is a unique index of the database (migration 014), so several processes
 * admitting the same key at once cannot overshoot it; within a process one chain per key keeps the
 * passes from racing each other. Called after a start, after an execution ends (its slot freed in
 * that commit), when a pending one is recovered, and by a periodic sweep that covers a process
 * killed between an end and its admission pass.
 */
export class KeyAdmission {
  private readonly chains = new KeyedChains();

  constructor(private readonly deps: KeyAdmissionDeps) {}

  admit(workflowId: string, key: string, limit: number): Promise<void> {
    return this.chains.run(`${workflowId}\u0000${key}`, () => this.pass(workflowId, key, limit));
  }

  /** Admits every key with a queue (start-up and the periodic sweep). */
  async sweep(limitOf: (workflowId: string, executionId: string) => Promise<number | undefined>): Promise<void> {
    for (const { workflowId, key } of await this.deps.store.keysWithQueued()) {
      const [first] = await this.deps.store.queuedForKey(workflowId, key, 1);
      if (!first) continue;
      const limit = await limitOf(workflowId, first.id);
      if (limit !== undefined) await this.admit(workflowId, key, limit);
    }
  }

  private async pass(workflowId: string, key: string, limit: number): Promise<void> {
    const { store } = this.deps;
    // Those already holding a slot (a start whose begin was lost in a crash) begin first; then the
    // oldest without one take the free slots, in queue order, until none is left.
    const queued = await store.queuedForKey(workflowId, key, limit + 50);
    const begins: Array<Promise<void>> = [];
    for (const q of queued) if (q.hasSlot) begins.push(this.deps.begin(q.id));
    for (const q of queued) {
      if (q.hasSlot) continue;
      if (!(await store.claimConcurrencySlot(q.id, limit))) break;
      begins.push(this.deps.begin(q.id));
    }
    await Promise.all(begins.map((p) => p.catch((err: unknown) => this.deps.logger.error({ err, workflow_id: workflowId }, 'could not begin an execution admitted by its concurrency key'))));
  }
}
