import type { ExecutionState } from './execution-state.js';
import { ROOT_SCOPE } from './scope.js';

/**
 * An execution's output: keyed by the id of every top-level node that ended a path (ARCHITECTURE.md
 * §2), the path of a graph-level error handler included: under `error_strategy: continue` that is
 * how a completed execution says what its handler did.
 */
export function executionOutput(state: ExecutionState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of state.runsIn(ROOT_SCOPE)) {
    if (r.status !== 'completed' || (r.fired_edges?.length ?? 0) > 0) continue;
    out[r.node_id] = r.output;
  }
  return out;
}
