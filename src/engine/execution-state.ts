import type { ErrorRecord } from '../model/errors.js';
import type { CompiledGraph } from './compiled-graph.js';
import { isFinalNodeStatus } from './statuses.js';
import type { ExecutionPatch, ExecutionRecord, NodeRunPatch, NodeRunRecord } from './store-port.js';
import { TransitionBuilder } from './transition-builder.js';

export interface LoopState {
  readonly items: readonly unknown[];
  readonly concurrency: number;
  /** Index of the next iteration to start. */
  next: number;
  active: number;
  completed: number;
  readonly results: unknown[];
}

/** Stored in a running loop's `state` column so a restart can resume it. */
export interface LoopRunState {
  readonly loop: { readonly items: readonly unknown[]; readonly concurrency: number };
}
/** Stored on a waiting run: what waking it means. */
export type WaitRunState =
  | { readonly wait: 'delay' | 'backoff' }
  | { readonly wait: 'signal'; readonly timeout_handle: string; readonly waiting: Readonly<Record<string, unknown>> };

/** Stored on a run a retry copied from the execution it retries: recorded as reused, not run again. */
export interface ReusedRunState {
  readonly reused_from: { readonly execution_id: string; readonly run_id: string };
}

/**
 * In-memory image of one execution while this process advances it. The database is the truth:
 * this is rebuilt from it after a restart, and evicted while the execution only waits.
 */
export class ExecutionState {
  execution: ExecutionRecord;
  readonly graph: CompiledGraph;
  /** Latest attempt per node, per scope: scope-local lookups never scan other loop iterations. */
  private readonly scopes = new Map<string, Map<string, NodeRunRecord>>();
  readonly byId = new Map<string, NodeRunRecord>();
  /** Runs not yet in a final status. */
  readonly open = new Map<string, NodeRunRecord>();
  readonly loops = new Map<string, LoopState>();
  readonly tx: TransitionBuilder;
  /** The first uncaught failure under error_strategy 'stop': the execution is winding down. */
  failure: ErrorRecord | null = null;
  errorHandlersStarted = false;
  /** The execution row's revision this image reflects (checked by commits in cluster mode). */
  revision = 0;
  /** Side effects to perform once this tick's transition has committed. */
  toDispatch: NodeRunRecord[] = [];
  toWake: Array<{ runId: string; at: number }> = [];
  toAbort: string[] = [];
  /** Work queue of (scope, node) pairs whose readiness must be (re)checked within this tick. */
  readonly ready: Array<{ scope: string; nodeId: string }> = [];
  /** Inline runs started this tick, run before the tick commits. */
  readonly inline: Array<{ run: NodeRunRecord; error: unknown }> = [];
  /** Loops whose last iteration ended this tick. */
  readonly loopDone: Array<{ run: NodeRunRecord; ls: LoopState }> = [];

  constructor(execution: ExecutionRecord, graph: CompiledGraph) {
    this.execution = execution;
    this.graph = graph;
    this.tx = new TransitionBuilder(execution.id);
  }

  run(scope: string, nodeId: string): NodeRunRecord | undefined {
    return this.scopes.get(scope)?.get(nodeId);
  }

  /** Registers a run read from the store (no write). */
  adopt(run: NodeRunRecord): void {
    let inScope = this.scopes.get(run.scope);
    if (!inScope) this.scopes.set(run.scope, (inScope = new Map<string, NodeRunRecord>()));
    const prev = inScope.get(run.node_id);
    if (!prev || prev.attempt <= run.attempt) inScope.set(run.node_id, run);
    this.byId.set(run.id, run);
    if (!isFinalNodeStatus(run.status)) this.open.set(run.id, run);
    else this.open.delete(run.id);
  }

  insertRun(run: NodeRunRecord): NodeRunRecord {
    this.adopt(run);
    this.tx.insertRun(run);
    return run;
  }

  patchRun(run: NodeRunRecord, patch: NodeRunPatch, expectToken?: number): NodeRunRecord {
    const next = { ...run, ...patch };
    this.adopt(next);
    this.tx.patchRun(run, patch, expectToken);
    return next;
  }

  patchExecution(patch: ExecutionPatch): void {
    this.execution = { ...this.execution, ...patch };
    this.tx.patchExecution(patch);
  }

  /** Runs of one scope (latest attempts). */
  runsIn(scope: string): Iterable<NodeRunRecord> {
    return this.scopes.get(scope)?.values() ?? [];
  }

  *allLatest(): Iterable<NodeRunRecord> {
    for (const inScope of this.scopes.values()) yield* inScope.values();
  }
}
