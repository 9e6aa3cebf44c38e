import type { ExecutionRecord, Transition } from '../engine/store-port.js';
import { finishedBy, type FinishedExecution } from './execution-rollups.js';

/**
 * What a commit batch's accepted transitions add besides their own rows, written once per batch at
 * its end (in the same transaction): the audit entries of the executions they start and the metrics
 * rollups of those they finish. A refused transition adds nothing.
 */
export class BatchEffects {
  readonly started: ExecutionRecord[] = [];
  readonly finished: FinishedExecution[] = [];

  add(t: Transition): void {
    if (t.insertExecution !== undefined) this.started.push(t.insertExecution);
    const f = finishedBy(t);
    if (f !== undefined) this.finished.push(f);
  }
}
