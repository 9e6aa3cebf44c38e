import type { CompiledGraph } from './compiled-graph.js';
import { ExecutionState, type LoopRunState } from './execution-state.js';
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
  for (const r of loaded.runs) state.adopt(r);
  if (loaded.execution.error && graph.settings.error_strategy === 'stop') state.failure = loaded.execution.error;
  for (const r of state.allLatest()) {
    if (r.status === 'failed') state.lastError = r.error;
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
