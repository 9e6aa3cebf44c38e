import { ConflictError, ItwError, NonRetryableError, toErrorRecord, type ErrorRecord } from '../model/errors.js';
import { executionOutput } from './execution-output.js';
import type { ExecutionState, WaitRunState } from './execution-state.js';
import type { NodeOutcome } from './node-handler.js';
import type { Stepper } from './stepper.js';
import type { NodeRunRecord } from './store-port.js';

/**
 * Execution-level transitions: what a tick's events mean for the execution as a whole.
 * Each function mutates the state through the Stepper; the Engine commits the result.
 */

export async function onResult(
  stepper: Stepper, state: ExecutionState, runId: string, token: number,
  result: { outcome: NodeOutcome } | { error: unknown },
): Promise<void> {
  const run = state.byId.get(runId);
  // A late or duplicate completion (cancelled, re-dispatched, already done) changes nothing.
  if (!run || run.status !== 'running' || run.lease_token !== token) return;
  if ('outcome' in result) await stepper.applyOutcome(state, run, result.outcome, token);
  else await stepper.applyFailure(state, run, result.error, token);
}

export async function onWake(stepper: Stepper, state: ExecutionState, runId: string, now: number): Promise<void> {
  const run = state.byId.get(runId);
  if (!run || run.status !== 'waiting' || state.execution.status === 'paused') return;
  if (run.wake_at !== null && run.wake_at > now) {
    state.toWake.push({ runId, at: run.wake_at });
    return;
  }
  const wait = run.state as WaitRunState | null;
  if (wait?.wait === 'delay') {
    const started = state.patchRun(run, { wake_at: null, state: null, status: 'running' });
    await stepper.applyOutcome(state, started, { kind: 'done', output: run.input, handle: 'out' });
  } else if (wait?.wait === 'signal') {
    const started = state.patchRun(run, { wake_at: null, status: 'running' });
    await stepper.applyOutcome(state, started, { kind: 'done', output: { decision: 'timeout', timed_out_at: new Date(now).toISOString() }, handle: wait.timeout_handle });
  } else {
    stepper.start(state, state.patchRun(run, { wake_at: null, state: null, status: 'pending' }));
  }
}

/** Why a signal cannot be taken now, or undefined when it can. */
export function signalRefusal(state: ExecutionState, runId: string, handle: string): ConflictError | undefined {
  const run = state.byId.get(runId);
  const wait = run?.state as WaitRunState | null | undefined;
  if (!run || run.status !== 'waiting' || wait?.wait !== 'signal') {
    return new ConflictError(`node execution ${runId} is not waiting for an answer`, { status: run?.status ?? 'unknown' });
  }
  const handles = state.graph.nodes.get(run.node_id)!.handler.spec.handles;
  if (!handles.includes(handle)) return new ConflictError(`node "${run.node_id}" has no handle "${handle}"`, { handles });
  return undefined;
}

/**
 * An answer to a run parked on a signal (an approval decision, a child workflow's end); ignored if it
 * was answered meanwhile. With `error` the run fails instead (its error edges catch it).
 */
export async function onSignal(stepper: Stepper, state: ExecutionState, runId: string, handle: string, output: unknown, error?: ErrorRecord): Promise<void> {
  if (signalRefusal(state, runId, handle)) return;
  const run = state.byId.get(runId)!;
  const started = state.patchRun(run, { wake_at: null, status: 'running' });
  if (error) {
    await stepper.applyFailure(state, started, new NonRetryableError(error.code, error.message, error.details ? { details: error.details } : {}));
  } else {
    await stepper.applyOutcome(state, started, { kind: 'done', output, handle });
  }
}

export function cancel(stepper: Stepper, state: ExecutionState, now: number, reason = 'cancelled by request'): void {
  stepper.cancelOpen(state);
  finish(state, 'cancelled', now, { message: reason, code: 'cancelled' });
}

export function pause(state: ExecutionState): void {
  state.patchExecution({ status: 'paused' });
}

/** Starts what a pause held back: pending runs, and waits that came due meanwhile. */
export function resume(stepper: Stepper, state: ExecutionState, now: number): void {
  state.patchExecution({ status: 'running' });
  for (const r of [...state.open.values()]) {
    if (r.status === 'pending') stepper.start(state, r);
    else if (r.status === 'waiting' && r.wake_at !== null) state.toWake.push({ runId: r.id, at: Math.max(r.wake_at, now) });
  }
}

export function timeOut(stepper: Stepper, state: ExecutionState, now: number): void {
  stepper.cancelOpen(state);
  const seconds = state.graph.settings.timeout_seconds;
  finish(state, 'failed', now, toErrorRecord(new ItwError('workflow_timeout', `execution exceeded the workflow timeout of ${seconds}s`)));
}

function finish(state: ExecutionState, status: 'completed' | 'failed' | 'cancelled', now: number, error: ReturnType<typeof toErrorRecord> | null): void {
  const started = state.execution.started_at ?? now;
  state.patchExecution({
    status, error, output: status === 'completed' || status === 'failed' ? executionOutput(state) : state.execution.output,
    finished_at: now, duration_ms: now - started,
  });
}

/** After a tick: the execution's status follows from its open runs. */
export function settleStatus(state: ExecutionState, now: number): void {
  const s = state.execution.status;
  if (s === 'completed' || s === 'failed' || s === 'cancelled' || s === 'paused') return;
  // Queued behind max_concurrent_executions: nothing has run yet, nothing to settle.
  if (s === 'pending' && state.byId.size === 0) return;
  let running = false;
  let waiting = false;
  for (const r of state.open.values()) {
    if (r.status === 'waiting') waiting = true;
    else running = true;
  }
  if (running) {
    if (s !== 'running') state.patchExecution({ status: 'running' });
  } else if (waiting) {
    if (s !== 'waiting') state.patchExecution({ status: 'waiting' });
  } else if (state.failure) {
    finish(state, 'failed', now, state.failure);
  } else {
    finish(state, 'completed', now, null);
  }
}

export function openRunsHeldBy(state: ExecutionState, owner: string): NodeRunRecord[] {
  return [...state.open.values()].filter((r) => r.status === 'running' && r.lease_owner === owner);
}
