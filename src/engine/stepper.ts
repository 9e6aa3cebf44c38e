import type { CredentialResolver } from '../model/credentials.js';
import { hasSealedVariable, openVariables } from '../model/seal-secrets.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import { jsonText } from '../model/json-text.js';
import { ItwError, NonRetryableError, RetryableError, toErrorRecord, type ErrorRecord } from '../model/errors.js';
import { bindingsFor } from './bindings.js';
import type { CompiledEdge, CompiledNode } from './compiled-graph.js';
import type { ExecutionState, LoopRunState, LoopState, ReusedRunState, WaitRunState } from './execution-state.js';
import type { RetryPlan } from './engine-options.js';
import { evaluate, resolveConfig } from './expressions.js';
import { StepContext, StepLogSink, type StepLog } from './step-context.js';
import type { Logger } from '../model/logger.js';
import type { Bindings, NodeContext, NodeOutcome, StepLogLevel } from './node-handler.js';
import { loopKey, readiness } from './readiness.js';
import { backoffMs } from './retry-policy.js';
import { ROOT_SCOPE, iterationScope, splitScope } from './scope.js';
import { iterationResult } from './iteration-result.js';
import { passThroughHandle } from './pass-through.js';
import { isFinalNodeStatus } from './statuses.js';
import type { NodeRunRecord } from './store-port.js';
import type { StepOutput } from './live-output.js';

/** Inline handlers do no I/O and cannot be cut short: one signal that never fires serves them all. */
const NEVER_ABORTED = new AbortController().signal;
const STEP_LEVELS: ReadonlySet<string> = new Set<StepLogLevel>(['debug', 'info', 'warn', 'error']);

export interface StepperDeps {
  now(): number;
  newRunId(): string;
  /** Identity written into leases. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly credentials: CredentialResolver;
  /** Registers a secret a step learnt with the app's redactor (NodeContext.markSecret). */
  markSecret(value: string): void;
  /** Opens secret variables' vault references for the step that reads `$vars`. */
  readonly secrets?: SecretKeeper;
  /** Largest node output, as JSON, that is stored; bigger ones fail the node (output_too_large). */
  readonly maxOutputBytes: number;
  /** Step log lines go here too (with execution_id / node_id), through the log's redacting stream. */
  readonly logger: Logger;
}

/**
 * The execution state machine of ARCHITECTURE.md §3: readiness, dead-path elimination, inline
 * control nodes, loops, retries and error paths. It mutates an ExecutionState and records every
 * change in the state's transition; the Engine commits it and performs the side effects after.
 * Work is driven by `state.ready`, a queue of (scope, node) pairs to examine, so long inline chains
 * never recurse.
 */
export class Stepper {
  constructor(private readonly deps: StepperDeps) {}

  /** Starts a fresh execution at its entry nodes. */
  begin(state: ExecutionState, entries: readonly string[]): void {
    const now = this.deps.now();
    state.patchExecution({ status: 'running', started_at: now });
    for (const id of state.graph.orphans) this.enqueue(state, ROOT_SCOPE, id);
    for (const id of entries) this.activate(state, ROOT_SCOPE, id, state.execution.input_data, undefined);
  }

  /**
   * Starts a retry: the kept runs are copied in as they were (their state names the run they reuse),
   * then every node that runs again is examined; those whose inputs are all kept start at once.
   */
  beginRetry(state: ExecutionState, plan: RetryPlan, entries: readonly string[]): void {
    const now = this.deps.now();
    state.patchExecution({ status: 'running', started_at: now });
    for (const r of plan.reuse) {
      const reused: ReusedRunState = { reused_from: { execution_id: r.execution_id, run_id: r.id } };
      state.insertRun({ ...r, id: this.deps.newRunId(), execution_id: state.execution.id, lease_owner: null, lease_expires_at: null, lease_token: 0, wake_at: null, state: reused });
    }
    for (const id of plan.rerun) {
      const node = state.graph.nodes.get(id)!;
      if (node.in.length === 0 && entries.includes(id)) this.activate(state, ROOT_SCOPE, id, state.execution.input_data, undefined);
      else this.enqueue(state, ROOT_SCOPE, id);
    }
  }

  /** Examines queued nodes until nothing more can move without I/O or time. */
  async drain(state: ExecutionState): Promise<void> {
    for (;;) {
      while (state.ready.length > 0) {
        const { scope, nodeId } = state.ready.shift()!;
        if (state.run(scope, nodeId)) continue; // already activated (a join seen twice)
        const node = state.graph.nodes.get(nodeId)!;
        if (state.failure && !node.inErrorPath) continue;
        const r = readiness(state, scope, node.in);
        if (r.status === 'waiting') continue;
        if (r.status === 'dead') this.skip(state, scope, node);
        else this.activate(state, scope, nodeId, r.input, r.error);
        await this.runInlineQueue(state);
      }
      await this.runInlineQueue(state);
      if (state.ready.length > 0) continue;
      if (!(await this.settleLoops(state))) break;
    }
  }

  private async runInlineQueue(state: ExecutionState): Promise<void> {
    while (state.inline.length > 0) {
      const job = state.inline.shift()!;
      const current = state.byId.get(job.run.id);
      if (!current || isFinalNodeStatus(current.status)) continue;
      const node = state.graph.nodes.get(current.node_id)!;
      if (node.node.disabled) {
        await this.passThrough(state, current);
        continue;
      }
      const logs: StepLog[] = [];
      try {
        // Awaited only when a promise: most inline steps need none before or after their handler.
        const c = this.context(state, current, NEVER_ABORTED, logs, job.error);
        const outcome = await node.handler.run(c instanceof Promise ? await c : c);
        this.flushLogs(state, current, logs);
        const applied = this.applyOutcome(state, current, outcome);
        if (applied instanceof Promise) await applied;
      } catch (err) {
        this.flushLogs(state, current, logs);
        await this.applyFailure(state, current, err);
      }
    }
  }

  /**
   * A disabled node is a wire: recorded `skipped`, its input passed on through its primary handle,
   * whose edges still fire only when their conditions hold. It ends its loop iteration like any node.
   */
  private async passThrough(state: ExecutionState, run: NodeRunRecord): Promise<void> {
    const node = state.graph.nodes.get(run.node_id)!;
    const now = this.deps.now();
    try {
      const fired = await this.firedEdges(state, run, node.out.filter((e) => e.handle === passThroughHandle(node)), run.input);
      state.patchRun(run, { status: 'skipped', output: run.input, fired_edges: fired, finished_at: now, duration_ms: 0 });
      this.resolved(state, run.scope, node);
    } catch (err) {
      await this.applyFailure(state, run, err);
    }
  }

  /** Creates attempt 1 (or `attempt`) of a node whose inputs are known. */
  activate(state: ExecutionState, scope: string, nodeId: string, input: unknown, error: unknown, attempt = 1): NodeRunRecord {
    const node = state.graph.nodes.get(nodeId)!;
    const now = this.deps.now();
    const base: NodeRunRecord = {
      id: this.deps.newRunId(), execution_id: state.execution.id, node_id: nodeId, scope, attempt,
      status: 'pending', input: input ?? null, output: null, error: null, fired_edges: null, wake_at: null,
      started_at: null, finished_at: null, duration_ms: null, lease_owner: null, lease_expires_at: null, lease_token: 0, state: null,
    };
    if (node.node.disabled) {
      // Resolved in this tick's inline queue like any finished node (passThrough), paused or not.
      const run = state.insertRun({ ...base, status: 'running', started_at: now });
      state.inline.push({ run, error });
      return run;
    }
    if (state.execution.status === 'paused') return state.insertRun(base);
    return this.start(state, state.insertRun(base), error);
  }

  /** Moves a pending run to running: inline handlers queue for this tick, others get a lease. */
  start(state: ExecutionState, run: NodeRunRecord, error?: unknown): NodeRunRecord {
    const node = state.graph.nodes.get(run.node_id)!;
    const now = this.deps.now();
    if (node.handler.inline) {
      const started = state.patchRun(run, { status: 'running', started_at: now });
      state.inline.push({ run: started, error });
      return started;
    }
    const leased = state.patchRun(run, {
      status: 'running', started_at: now, lease_owner: this.deps.owner,
      lease_expires_at: now + this.deps.leaseMs, lease_token: run.lease_token + 1,
    });
    state.toDispatch.push(leased);
    return leased;
  }

  /** The context a step runs with; synchronous unless secret variables or `{{ }}` templates need resolving. */
  context(state: ExecutionState, run: NodeRunRecord, signal: AbortSignal, logs: StepLog[], error?: unknown, output?: StepOutput): NodeContext | Promise<NodeContext> {
    const bindings = this.bindings(state, run.scope, run.node_id, run.input, error);
    if (bindings instanceof Promise) return bindings.then((b) => this.contextWith(state, run, b, signal, logs, output));
    return this.contextWith(state, run, bindings, signal, logs, output);
  }

  private contextWith(state: ExecutionState, run: NodeRunRecord, bindings: Bindings, signal: AbortSignal, logs: StepLog[], output: StepOutput | undefined): NodeContext | Promise<NodeContext> {
    const node = state.graph.nodes.get(run.node_id)!;
    const make = (config: Readonly<Record<string, unknown>>) => new StepContext(this.deps, state.graph, node, run, config, bindings, signal, new StepLogSink(logs), output);
    if (!node.hasTemplates) return make(node.node.config);
    const spec = node.handler.spec;
    return resolveConfig(node.node.config, [...spec.expressionFields, ...(spec.rawFields ?? [])], bindings, node.codePaths).then(make);
  }

  flushLogs(state: ExecutionState, run: NodeRunRecord, logs: readonly StepLog[]): void {
    const ts = this.deps.now();
    for (const l of logs) {
      state.tx.log({ execution_id: run.execution_id, node_id: run.node_id, scope: run.scope, attempt: run.attempt, level: l.level, message: l.message, data: l.data, ts });
      const level = STEP_LEVELS.has(l.level) ? (l.level as StepLogLevel) : 'info';
      this.deps.logger[level]({ execution_id: run.execution_id, node_id: run.node_id, scope: run.scope, attempt: run.attempt, ...(l.data === null ? {} : { data: l.data }) }, l.message);
    }
  }

  /** Records what a handler answered; synchronous for a step that is done and whose edges have no conditions. */
  applyOutcome(state: ExecutionState, run: NodeRunRecord, outcome: NodeOutcome, expectToken?: number): void | Promise<void> {
    if (outcome.kind !== 'done') return this.applyParking(state, run, outcome, expectToken);
    const tooBig = this.oversized(outcome.output);
    if (tooBig !== undefined) {
      return this.applyFailure(state, run, new NonRetryableError('output_too_large',
        `output of node "${run.node_id}" is ${tooBig} bytes as JSON, over the limit of ${this.deps.maxOutputBytes} (ITW_MAX_OUTPUT_BYTES)`,
        { details: { bytes: tooBig, limit: this.deps.maxOutputBytes } }), expectToken);
    }
    const node = state.graph.nodes.get(run.node_id)!;
    const fired = this.firedEdges(state, run, node.out.filter((e) => e.handle === outcome.handle), outcome.output);
    if (fired instanceof Promise) return fired.then((f) => this.completed(state, run, node, outcome.output, f, expectToken));
    this.completed(state, run, node, outcome.output, fired, expectToken);
  }

  private completed(state: ExecutionState, run: NodeRunRecord, node: CompiledNode, output: unknown, fired: string[], expectToken: number | undefined): void {
    const now = this.deps.now();
    state.patchRun(run, { status: 'completed', output: output ?? null, fired_edges: fired, finished_at: now, duration_ms: now - (run.started_at ?? now), lease_owner: null, lease_expires_at: null }, expectToken);
    this.resolved(state, run.scope, node);
  }

  /** A handler that parks its step (delay, signal) or starts a loop. */
  private async applyParking(state: ExecutionState, run: NodeRunRecord, outcome: Exclude<NodeOutcome, { kind: 'done' }>, expectToken?: number): Promise<void> {
    const node = state.graph.nodes.get(run.node_id)!;
    switch (outcome.kind) {
      case 'wait': {
        const waitState: WaitRunState = { wait: 'delay' };
        state.patchRun(run, { status: 'waiting', wake_at: outcome.until, state: waitState, lease_owner: null, lease_expires_at: null }, expectToken);
        state.toWake.push({ runId: run.id, at: outcome.until });
        return;
      }
      case 'signal': {
        const waitState: WaitRunState = { wait: 'signal', timeout_handle: outcome.timeoutHandle, waiting: outcome.waiting };
        state.patchRun(run, { status: 'waiting', wake_at: outcome.until, state: waitState, lease_owner: null, lease_expires_at: null }, expectToken);
        if (outcome.until !== null) state.toWake.push({ runId: run.id, at: outcome.until });
        return;
      }
      case 'loop': {
        const loopState: LoopRunState = { loop: { items: outcome.items, concurrency: Math.max(1, outcome.concurrency) } };
        const started = state.patchRun(run, { state: loopState }, expectToken);
        // No body: every iteration ends at once, its item as its result (docs/WORKFLOWS.md, Loops).
        const results = node.bodyNodes.length === 0 ? [...outcome.items] : new Array<unknown>(outcome.items.length).fill(null);
        const ls: LoopState = { items: outcome.items, concurrency: loopState.loop.concurrency, next: 0, active: 0, completed: 0, results };
        state.loops.set(loopKey(run.scope, run.node_id), ls);
        if (outcome.items.length === 0 || node.bodyNodes.length === 0) await this.finishLoop(state, started, ls);
        else this.fillIterations(state, started, ls);
        return;
      }
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }

  /** The output's JSON size when it is over the cap; strings and scalars below the cap cost nothing. */
  private oversized(output: unknown): number | undefined {
    const limit = this.deps.maxOutputBytes;
    if (output === null || output === undefined || typeof output === 'number' || typeof output === 'boolean') return undefined;
    if (typeof output === 'string' && output.length * 3 < limit) return undefined;
    // Remembered: the store writes this same text when the run's output is committed.
    const text = jsonText(output, true) ?? '';
    // Bytes are at most 3 per UTF-16 unit: only texts near the cap need an exact count.
    if (text.length * 3 <= limit) return undefined;
    const bytes = Buffer.byteLength(text, 'utf8');
    return bytes > limit ? bytes : undefined;
  }

  async applyFailure(state: ExecutionState, run: NodeRunRecord, err: unknown, expectToken?: number): Promise<void> {
    const node = state.graph.nodes.get(run.node_id)!;
    const now = this.deps.now();
    const record = toErrorRecord(err, run.node_id);
    const failed = state.patchRun(run, { status: 'failed', error: record, finished_at: now, duration_ms: now - (run.started_at ?? now), lease_owner: null, lease_expires_at: null }, expectToken);
    const retryable = err instanceof ItwError ? err.retryable : true;
    if (retryable && run.attempt < node.retry.maxAttempts && !state.failure) {
      const retryAfter = err instanceof RetryableError ? err.retryAfterMs : undefined;
      const at = now + backoffMs(node.retry, run.attempt + 1, retryAfter);
      const waitState: WaitRunState = { wait: 'backoff' };
      const next = state.insertRun({
        ...failed, id: this.deps.newRunId(), attempt: run.attempt + 1, status: 'waiting', output: null, error: null,
        fired_edges: null, wake_at: at, started_at: null, finished_at: null, duration_ms: null, lease_token: 0, state: waitState,
      });
      state.toWake.push({ runId: next.id, at });
      return;
    }
    const errorEdges = node.out.filter((e) => e.handle === 'error');
    if (errorEdges.length > 0) {
      const fired = await this.firedEdges(state, failed, errorEdges, record, record);
      state.patchRun(failed, { fired_edges: fired });
      this.resolved(state, run.scope, node);
      return;
    }
    state.patchRun(failed, { fired_edges: [] });
    this.uncaught(state, failed, record);
  }

  /** A failure nothing caught: graph error handlers run once, then stop winds the execution down. */
  private uncaught(state: ExecutionState, run: NodeRunRecord, record: ErrorRecord): void {
    const node = state.graph.nodes.get(run.node_id)!;
    if (state.graph.settings.error_strategy === 'stop' && !node.inErrorPath) {
      if (!state.failure) {
        state.failure = record;
        state.patchExecution({ error: record });
      }
      this.cancelOpen(state, (r) => !state.graph.nodes.get(r.node_id)!.inErrorPath);
    } else {
      this.resolved(state, run.scope, node);
    }
    if (!state.errorHandlersStarted && !node.inErrorPath) {
      state.errorHandlersStarted = true;
      for (const id of state.graph.errorHandlers) this.activate(state, ROOT_SCOPE, id, record, record);
    }
  }

  /** Cancels open runs (all, or those matching `which`), aborting handlers in flight. */
  cancelOpen(state: ExecutionState, which: (r: NodeRunRecord) => boolean = () => true): void {
    const now = this.deps.now();
    for (const r of [...state.open.values()]) {
      if (!which(r)) continue;
      if (r.status === 'running' && r.lease_owner) state.toAbort.push(r.id);
      state.patchRun(r, { status: 'cancelled', finished_at: now, duration_ms: r.started_at === null ? null : now - r.started_at, lease_owner: null, lease_expires_at: null, wake_at: null });
    }
  }

  /**
   * The bindings of a step, secret variables opened: only here, in memory, do they hold values.
   * Synchronous when there is nothing to open (almost always): no promise and microtask per step.
   */
  private bindings(state: ExecutionState, scope: string, nodeId: string, input: unknown, error?: unknown): Bindings | Promise<Bindings> {
    const b = bindingsFor(state, scope, nodeId, input, error);
    const keeper = this.deps.secrets;
    if (!keeper || !hasSealedVariable(b.vars)) return b;
    return openVariables(keeper, state.execution.workflow_id, b.vars).then((vars) => (vars === b.vars ? b : { ...b, vars }));
  }

  /**
   * Edges whose condition holds for `value` (the source's output, or its error on error edges). A
   * condition that throws fails the source. Synchronous when no edge has a condition.
   */
  private firedEdges(state: ExecutionState, run: NodeRunRecord, edges: readonly CompiledEdge[], value: unknown, error?: ErrorRecord): string[] | Promise<string[]> {
    const fired: string[] = [];
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      if (e.condition !== null && e.condition.trim() !== '') return this.firedEdgesFrom(state, run, edges, i, fired, value, error);
      fired.push(e.id);
    }
    return fired;
  }

  private async firedEdgesFrom(state: ExecutionState, run: NodeRunRecord, edges: readonly CompiledEdge[], from: number, fired: string[], value: unknown, error?: ErrorRecord): Promise<string[]> {
    for (let i = from; i < edges.length; i++) {
      const e = edges[i]!;
      if (e.condition === null || e.condition.trim() === '') fired.push(e.id);
      else if ((await evaluate(e.condition, await this.bindings(state, run.scope, run.node_id, value, error))) === true) fired.push(e.id);
    }
    return fired;
  }

  private skip(state: ExecutionState, scope: string, node: CompiledNode): void {
    const now = this.deps.now();
    state.insertRun({
      id: this.deps.newRunId(), execution_id: state.execution.id, node_id: node.node.id, scope, attempt: 1, status: 'skipped',
      input: null, output: null, error: null, fired_edges: [], wake_at: null, started_at: null, finished_at: now, duration_ms: null,
      lease_owner: null, lease_expires_at: null, lease_token: 0, state: null,
    });
    this.resolved(state, scope, node);
  }

  private enqueue(state: ExecutionState, scope: string, nodeId: string): void {
    state.ready.push({ scope, nodeId });
  }

  private enqueueTargets(state: ExecutionState, scope: string, node: CompiledNode): void {
    for (const e of node.out) if (!(node.node.node_type === 'loop' && e.handle === 'body')) this.enqueue(state, scope, e.target);
  }

  /** A node reached a final status in `scope`: its targets may be ready, its iteration may be over. */
  private resolved(state: ExecutionState, scope: string, node: CompiledNode): void {
    this.enqueueTargets(state, scope, node);
    const iteration = splitScope(scope);
    if (!iteration) return;
    const loopNode = state.graph.nodes.get(iteration.loopId)!;
    if (!loopNode.bodyNodes.every((id) => { const r = state.run(scope, id); return r !== undefined && isFinalNodeStatus(r.status); })) return;
    const ls = state.loops.get(loopKey(iteration.parent, iteration.loopId));
    const loopRun = state.run(iteration.parent, iteration.loopId);
    if (!ls || !loopRun || loopRun.status !== 'running') return;
    ls.results[iteration.index] = iterationResult(state, scope, loopNode);
    ls.active--;
    ls.completed++;
    if (ls.completed === ls.items.length) state.loopDone.push({ run: loopRun, ls });
    else this.fillIterations(state, loopRun, ls);
  }

  /** Completes loops whose last iteration ended during this tick. */
  private async settleLoops(state: ExecutionState): Promise<boolean> {
    let any = false;
    while (state.loopDone.length > 0) {
      const { run, ls } = state.loopDone.shift()!;
      any = true;
      await this.finishLoop(state, state.byId.get(run.id) ?? run, ls);
    }
    return any;
  }

  private fillIterations(state: ExecutionState, loopRun: NodeRunRecord, ls: LoopState): void {
    const loopNode = state.graph.nodes.get(loopRun.node_id)!;
    while (ls.active < ls.concurrency && ls.next < ls.items.length) {
      const scope = iterationScope(loopRun.scope, loopRun.node_id, ls.next++);
      ls.active++;
      for (const e of loopNode.out) if (e.handle === 'body') this.enqueue(state, scope, e.target);
    }
  }

  private async finishLoop(state: ExecutionState, run: NodeRunRecord, ls: LoopState): Promise<void> {
    state.loops.delete(loopKey(run.scope, run.node_id));
    await this.applyOutcome(state, { ...run, state: null }, { kind: 'done', output: ls.results, handle: 'done' });
    state.patchRun(state.byId.get(run.id)!, { state: null });
  }
}
