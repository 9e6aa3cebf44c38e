import type { ExecutionRecord, Transition } from '../engine/store-port.js';
import { finishedBy, type FinishedExecution } from './execution-rollups.js';
import { RollupTotals, summarize } from './rollup-summaries.js';

/**
 * What a commit batch's accepted transitions add besides their own rows, journaled once per batch at
 * its end, in the same transaction (deferred-effects.ts applies them): the audit entries of the
 * executions they start and the metrics rollups of those they finish. A refused transition adds
 * nothing. An execution born and finished in one transition is summed up from it
 * (rollup-summaries.ts); others are rolled up from their rows at flush time.
 */
export class BatchEffects {
  readonly started: ExecutionRecord[] = [];
  readonly finished: FinishedExecution[] = [];
  /** Rollups of the executions born and finished in the batch, added up. */
  readonly totals = new RollupTotals();

  add(t: Transition): void {
    if (t.insertExecution !== undefined) this.started.push(t.insertExecution);
    const f = finishedBy(t);
    if (f === undefined) return;
    const summary = summarize(t);
    if (summary !== undefined) this.totals.addSummary(summary);
    else this.finished.push(f);
  }
}
