import type { CompiledNode } from './compiled-graph.js';
import type { ExecutionState } from './execution-state.js';

/** One iteration's result: the output of the body's last node, or an object of them when there are several. */
export function iterationResult(state: ExecutionState, scope: string, loopNode: CompiledNode): unknown {
  const terminals = loopNode.bodyTerminals;
  if (terminals.length === 1) return state.run(scope, terminals[0]!)?.output ?? null;
  const out: Record<string, unknown> = {};
  for (const id of terminals) {
    const r = state.run(scope, id);
    if (r?.status === 'completed') out[id] = r.output;
  }
  return out;
}
