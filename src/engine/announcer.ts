import type { Logger } from '../model/logger.js';
import type { EventNotice } from './cluster-work.js';
import { ChurnMap } from './churn-map.js';
import type { EngineEvent, EngineListener } from './engine-events.js';
import { redactExecution, redactRun } from './redact-transition.js';
import type { Redactor } from './redactor.js';
import { isFinalExecutionStatus } from './statuses.js';
import type { EngineStore, ExecutionRecord, NodeRunRecord } from './store-port.js';

/** What a caller waiting for an execution's end receives. */
export interface FinalOutcome {
  /** Redacted. */
  readonly execution: ExecutionRecord;
  /**
   * A node's last completed top-level run (redacted), from the image that finished the execution,
   * when this process finished it; undefined otherwise (the caller reads the store).
   */
  readonly localRun: ((nodeId: string) => NodeRunRecord | null) | undefined;
}

/** Looks up a node's last completed top-level run in a finished image (unredacted). */
export type RunLookup = (nodeId: string) => NodeRunRecord | null;

export interface AnnouncerDeps {
  readonly store: Pick<EngineStore, 'loadExecution' | 'getExecution' | 'getRuns'>;
  readonly redactor: Redactor;
  /** This engine's identity: notices it sent itself were already announced. */
  readonly owner: string;
  /** True once the engine stopped (errors reading back a notice are then expected). */
  stopped(): boolean;
  readonly logger: Logger;
}

/**
 * What the engine tells the outside after a commit: events to listeners (SSE, metrics, audit) and
 * the answer to callers waiting for an execution to end. In a cluster it also turns other
 * processes' commit notices into the same events, reading back from the store only what a notice
 * names, one notice at a time in arrival order.
 */
export class Announcer {
  private readonly listeners = new Set<EngineListener>();
  private readonly finalWaiters: Map<string, Array<(o: FinalOutcome) => void>> = new ChurnMap();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AnnouncerDeps) {}

  onEvent(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Registers a caller waiting for the execution's final status; `cancel` takes it back. */
  awaitFinal(executionId: string): { promise: Promise<FinalOutcome>; cancel(): void } {
    const promise = new Promise<FinalOutcome>((resolve) => {
      const list = this.finalWaiters.get(executionId) ?? [];
      list.push(resolve);
      this.finalWaiters.set(executionId, list);
    });
    return { promise, cancel: () => this.finalWaiters.delete(executionId) };
  }

  /** `lookup`: the finished image's runs, when this process holds it (no read-back needed). */
  resolveFinal(execution: ExecutionRecord, lookup?: RunLookup): void {
    const waiters = this.finalWaiters.get(execution.id);
    if (!waiters) return;
    this.finalWaiters.delete(execution.id);
    const { redactor } = this.deps;
    const localRun = lookup && ((nodeId: string) => {
      const run = lookup(nodeId);
      return run === null ? null : redactRun(redactor, run);
    });
    const outcome: FinalOutcome = { execution: redactExecution(redactor, execution), localRun };
    for (const w of waiters) w(outcome);
  }

  /** A commit notice from the cluster (ours included: ours may end an execution someone awaits). */
  ingestNotice(payload: string): void {
    let n: EventNotice;
    try {
      n = JSON.parse(payload) as EventNotice;
    } catch {
      return;
    }
    const final = isFinalExecutionStatus(n.s);
    const ours = n.o === this.deps.owner;
    if (ours && !final) return;
    if (!(final && this.finalWaiters.has(n.e)) && (ours || !this.listening)) return;
    this.chain = this.chain.then(() => this.ingest(n, ours)).catch((err: unknown) => {
      if (!this.deps.stopped()) this.deps.logger.error({ err, execution_id: n.e }, 'could not read execution after a notice');
    });
  }

  /** Reads back only what the notice names: the runs it changed, and the execution if its row did. */
  private async ingest(n: EventNotice, ours: boolean): Promise<void> {
    const { store, redactor } = this.deps;
    const emit = !ours && this.listening;
    if (emit) {
      const runs = n.r === null ? ((await store.loadExecution(n.e))?.runs ?? []) : await store.getRuns(n.r);
      for (const r of runs) this.emit({ type: 'node', run: redactRun(redactor, r), workflow_id: n.w, remote: true });
    }
    const final = isFinalExecutionStatus(n.s) && this.finalWaiters.has(n.e);
    if (!final && !(emit && n.p !== undefined)) return;
    const execution = await store.getExecution(n.e);
    if (!execution) return;
    if (emit && n.p !== undefined) this.emit({ type: 'execution', execution: redactExecution(redactor, execution), previous_status: n.p, remote: true });
    if (isFinalExecutionStatus(execution.status)) this.resolveFinal(execution);
  }
}
