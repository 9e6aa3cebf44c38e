import { NotFoundError } from '../model/errors.js';
import type { Announcer, FinalOutcome } from './announcer.js';
import type { Dispatcher } from './dispatcher.js';
import { lastCompletedRun } from './last-completed-run.js';
import type { Live } from './mailbox.js';
import { isFinalExecutionStatus } from './statuses.js';
import type { EngineStore, ExecutionRecord } from './store-port.js';

/** A final execution and the output its caller asked for (a node's, or the execution's). */
export interface ExecutionResult {
  readonly execution: ExecutionRecord;
  readonly output: unknown;
}

/**
 * Waiting for an execution to end, and what a caller answering for it (a webhook in result mode, a
 * parent workflow, `itw run`) gets: from the image that finished it when this process did, with no
 * read-back; from the store otherwise.
 */
export class FinalResults {
  constructor(private readonly deps: { store: EngineStore; announcer: Announcer; live: ReadonlyMap<string, Live>; dispatcher: Dispatcher }) {}

  /**
   * What `waitForResult` answers, from an outcome (StartRequest.onFinal gives one); synchronous
   * unless a node's output must be read back from the store.
   */
  resultOf(outcome: FinalOutcome, nodeId?: string): ExecutionResult | Promise<ExecutionResult> {
    const { execution, localRun } = outcome;
    if (nodeId === undefined) return { execution, output: execution.output };
    if (localRun) return { execution, output: localRun(nodeId)?.output };
    return this.deps.store.loadExecution(execution.id).then((loaded) => ({ execution, output: lastCompletedRun(loaded?.runs ?? [], nodeId)?.output }));
  }

  async awaitOutcome(executionId: string): Promise<FinalOutcome> {
    const { announcer, store, dispatcher } = this.deps;
    const waiting = announcer.awaitFinal(executionId);
    // A live image mid-tick runs ahead of the database: only an idle one is committed truth. A busy one
    // that is not final yet will announce its end; a busy final one may have announced it already (a
    // late event is being applied), so the store decides. In a cluster, only the store is the truth.
    const live = this.deps.live.get(executionId);
    const fromImage = live && dispatcher.soleWriter && !(live.busy && isFinalExecutionStatus(live.state.execution.status));
    const known = fromImage ? (live.busy ? undefined : live.state.execution) : await store.getExecution(executionId);
    if (!known && !live) {
      waiting.cancel();
      throw new NotFoundError('execution', executionId);
    }
    if (known && isFinalExecutionStatus(known.status)) announcer.resolveFinal(known, live && ((nodeId) => lastCompletedRun(live.state.byId.values(), nodeId)));
    return waiting.promise;
  }
}
