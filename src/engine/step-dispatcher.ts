import type { Logger } from '../model/logger.js';
import { ChurnMap } from './churn-map.js';
import { StepTimeoutError } from '../model/errors.js';
import type { Clock } from './clock.js';
import type { ExecutionState } from './execution-state.js';
import type { LiveOutput } from './live-output.js';
import type { NodeOutcome } from './node-handler.js';
import type { StepLog } from './step-context.js';
import type { Stepper } from './stepper.js';
import type { EngineStore, NodeRunRecord } from './store-port.js';

export type StepResult = { outcome: NodeOutcome } | { error: unknown };

export interface StepDispatcherDeps {
  readonly clock: Clock;
  readonly store: Pick<EngineStore, 'renewLeases'>;
  readonly stepper: Stepper;
  readonly owner: string;
  readonly leaseMs: number;
  /** Handlers running at once. */
  readonly maxSteps: number;
  readonly logger: Logger;
  /** The live image a step reads its bindings from; undefined when the execution is gone. */
  state(executionId: string): ExecutionState | undefined;
  /** A live view for the run's process output, when someone listens (engine.output). */
  liveOutput?(state: ExecutionState, run: NodeRunRecord): LiveOutput | undefined;
  /** Where a finished step's result goes (the execution's mailbox). */
  done(executionId: string, run: NodeRunRecord, result: StepResult, logs: StepLog[]): void;
}

/**
 * Runs leased steps (api_call, action, script...) outside any transaction, at most `maxSteps` at
 * once, each under its node timeout and an abort signal, and keeps their leases alive while they run.
 */
export class StepDispatcher {
  private readonly inflight: Map<string, AbortController> = new ChurnMap();
  private readonly queue: Array<{ executionId: string; run: NodeRunRecord; state: ExecutionState | undefined }> = [];
  private renewTimer: unknown;
  private paused = false;

  constructor(private readonly deps: StepDispatcherDeps) {}

  get running(): number {
    return this.inflight.size;
  }

  has(runId: string): boolean {
    return this.inflight.has(runId);
  }

  ids(): string[] {
    return [...this.inflight.keys()];
  }

  /** `state`: the image to read bindings from, when the caller holds one the live map may not. */
  dispatch(executionId: string, run: NodeRunRecord, state?: ExecutionState): void {
    this.queue.push({ executionId, run, state });
    this.pump();
  }

  abort(runId: string, reason: unknown): void {
    this.inflight.get(runId)?.abort(reason);
  }

  abortAll(reason: unknown): void {
    for (const a of this.inflight.values()) a.abort(reason);
  }

  /** Stops starting queued steps (draining); those in flight go on. */
  hold(): void {
    this.paused = true;
    if (this.renewTimer !== undefined) this.deps.clock.clearTimer(this.renewTimer);
    this.renewTimer = undefined;
  }

  startRenewal(): void {
    const every = Math.max(1000, Math.floor(this.deps.leaseMs / 3));
    this.renewTimer = this.deps.clock.setTimer(() => {
      const ids = this.ids();
      const next = () => { if (!this.paused) this.startRenewal(); };
      if (ids.length === 0) return next();
      this.deps.store.renewLeases(this.deps.owner, ids, this.deps.clock.now() + this.deps.leaseMs).then(next, (err: unknown) => {
        this.deps.logger.error({ err }, 'lease renewal failed');
        next();
      });
    }, every);
  }

  private pump(): void {
    while (!this.paused && this.inflight.size < this.deps.maxSteps && this.queue.length > 0) {
      const { executionId, run, state } = this.queue.shift()!;
      void this.run(executionId, run, state);
    }
  }

  private async run(executionId: string, run: NodeRunRecord, given: ExecutionState | undefined): Promise<void> {
    const state = given ?? this.deps.state(executionId);
    if (!state) return;
    const abort = new AbortController();
    this.inflight.set(run.id, abort);
    const node = state.graph.nodes.get(run.node_id)!;
    const timeoutS = node.node.timeout_seconds;
    let timedOut = false;
    const timer = timeoutS && timeoutS > 0
      ? this.deps.clock.setTimer(() => { timedOut = true; abort.abort(new StepTimeoutError(timeoutS)); }, timeoutS * 1000)
      : undefined;
    const logs: StepLog[] = [];
    const output = this.deps.liveOutput?.(state, run);
    let result: StepResult;
    try {
      const ctx = await this.deps.stepper.context(state, run, abort.signal, logs, undefined, output);
      const outcome = await node.handler.run(ctx);
      result = timedOut ? { error: new StepTimeoutError(timeoutS!) } : { outcome };
    } catch (err) {
      result = { error: timedOut ? new StepTimeoutError(timeoutS!) : err };
    } finally {
      if (timer !== undefined) this.deps.clock.clearTimer(timer);
      this.inflight.delete(run.id);
      output?.end();
    }
    this.deps.done(executionId, run, result, logs);
    this.pump();
  }
}
