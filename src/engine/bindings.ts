import type { ExecutionState } from './execution-state.js';
import type { Bindings } from './node-handler.js';
import { loopKey } from './readiness.js';
import { scopeChain, splitScope } from './scope.js';

/** `$nodes`: outputs of completed nodes visible from `scope` (its own and every enclosing scope). */
function visibleOutputs(state: ExecutionState, scope: string): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const s of scopeChain(scope)) {
    for (const r of state.runsIn(s)) if (r.status === 'completed') nodes[r.node_id] = r.output;
  }
  return nodes;
}

export function bindingsFor(state: ExecutionState, scope: string, input: unknown, error?: unknown): Bindings {
  const ex = state.execution;
  const iteration = splitScope(scope);
  const loop = iteration ? state.loops.get(loopKey(iteration.parent, iteration.loopId)) : undefined;
  const err = error ?? state.lastError ?? undefined;
  return {
    input,
    trigger: ex.input_data,
    nodes: visibleOutputs(state, scope),
    vars: ex.variables,
    execution: { id: ex.id, workflow_id: ex.workflow_id, version: ex.version },
    ...(iteration && loop ? { item: loop.items[iteration.index], index: iteration.index } : {}),
    ...(err === undefined || err === null ? {} : { error: err }),
  };
}
