import type { CompiledGraph } from './compiled-graph.js';
import { ExecutionState, type LoopRunState } from './execution-state.js';
import type { Stepper } from './stepper.js';
import { iterationResult } from './iteration-result.js';
import { loopKey } from './readiness.js';
import { iterationScope } from './scope.js';
import { isFinalNodeStatus } from './statuses.js';
import type { LoadedExecution } from './store-port.js';

/**
 * Rebuilds the in-memory image of an execution from its stored rows: the latest attempt of every
 * run, running loops' progress, and whether a stop-failure is winding it down.
 */
export function rebuildState(loaded: LoadedExecution, graph: CompiledGraph): ExecutionState {
  const state = new ExecutionState(loaded.execution, graph);
  state.revision = loaded.revision;
  for (const r of loaded.runs) state.adopt(r);
  if (loaded.execution.error && graph.settings.error_strategy === 'stop') state.failure = loaded.execution.error;
  for (const r of state.allLatest()) {
    if (graph.nodes.get(r.node_id)?.inErrorPath) state.errorHandlersStarted = true;
    const loop = (r.state as LoopRunState | null)?.loop;
    if (r.status !== 'running' || !loop) continue;
    const body = graph.nodes.get(r.node_id)!.bodyNodes;
    const results = new Array<unknown>(loop.items.length).fill(null);
    let next = 0;
    let completed = 0;
    for (let i = 0; i < loop.items.length; i++) {
      const scope = iterationScope(r.scope, r.node_id, i);
      const runs = body.map((id) => state.run(scope, id));
      if (runs.every((x) => x === undefined)) break;
      next = i + 1;
      if (runs.every((x) => x !== undefined && isFinalNodeStatus(x.status))) {
        completed++;
        results[i] = iterationResult(state, scope, graph.nodes.get(r.node_id)!);
      }
    }
    state.loops.set(loopKey(r.scope, r.node_id), { items: loop.items, concurrency: loop.concurrency, next, active: next - completed, completed, results });
  }
  return state;
}

export interface RecoverOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /** Take running steps of other owners without waiting for their leases (embedded SQLite). */
  readonly takeOverLeases: boolean;
  /** Whether this process is running the step right now. */
  inFlight(runId: string): boolean;
}

/**
 * What a freshly loaded execution needs to move again: pending runs start, waits re-arm, and
 * running steps whose holder is gone are dispatched again: same attempt, same idempotency key,
 * a new fencing token so the old holder's late completion changes nothing.
 */
export function recoverRuns(stepper: Stepper, state: ExecutionState, now: number, opts: RecoverOptions): void {
  for (const r of [...state.open.values()]) {
    const node = state.graph.nodes.get(r.node_id)!;
    if (r.status === 'waiting') {
      if (r.wake_at !== null) state.toWake.push({ runId: r.id, at: r.wake_at });
    } else if (r.status === 'pending') {
      if (state.execution.status !== 'paused') stepper.start(state, r);
    } else if (r.status === 'running' && node.node.node_type !== 'loop' && !opts.inFlight(r.id)) {
      if (node.handler.inline) {
        stepper.start(state, r);
        continue;
      }
      const expired = r.lease_expires_at === null || r.lease_expires_at <= now;
      if (expired || opts.takeOverLeases || r.lease_owner === opts.owner) {
        state.patchRun(r, { lease_owner: opts.owner, lease_expires_at: now + opts.leaseMs, lease_token: r.lease_token + 1 }, r.lease_token);
        state.toDispatch.push(state.byId.get(r.id)!);
      } else {
        state.toWake.push({ runId: r.id, at: r.lease_expires_at });
      }
    }
  }
}
