import type { ExecutionState } from './execution-state.js';
import type { Bindings } from './node-handler.js';
import { pathError } from './path-error.js';
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

/**
 * What expressions of `nodeId` in `scope` see. `error` is the failure that fired an error edge into
 * the node, when the caller knows it; otherwise `$error` is the one the node's path carries, and
 * there is none off error paths.
 */
export function bindingsFor(state: ExecutionState, scope: string, nodeId: string, input: unknown, error?: unknown): Bindings {
  const ex = state.execution;
  const iteration = splitScope(scope);
  const loop = iteration ? state.loops.get(loopKey(iteration.parent, iteration.loopId)) : undefined;
  const err = error ?? pathError(state, scope, nodeId);
  const b: { -readonly [K in keyof Bindings]: Bindings[K] } = {
    input,
    trigger: ex.input_data,
    nodes: visibleOutputs(state, scope),
    vars: ex.variables,
    execution: { id: ex.id, workflow_id: ex.workflow_id, version: ex.version },
  };
  // Added only when there is one (not spread from empty objects: two allocations per node run).
  if (iteration && loop) {
    b.item = loop.items[iteration.index];
    b.index = iteration.index;
  }
  if (err !== undefined && err !== null) b.error = err;
  return b;
}
