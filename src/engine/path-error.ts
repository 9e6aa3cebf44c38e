import type { ErrorRecord } from '../model/errors.js';
import type { ExecutionState } from './execution-state.js';
import { edgeState } from './readiness.js';
import { splitScope } from './scope.js';

/**
 * `$error` of a node run: the failure its path carries, or undefined off error paths
 * (ARCHITECTURE.md §3, docs/WORKFLOWS.md). A path carries an error from the failed node whose
 * `error` edge it leaves from, or from the uncaught failure a graph-level handler was started for.
 *
 * Walks back over fired edges only through nodes the graph marks `afterError` (reachable from an
 * error edge or a graph-level handler), so the common case — no error path at all — costs one flag
 * check. Computed from the stored runs rather than kept in memory, so it is the same after recovery.
 */
export function pathError(state: ExecutionState, scope: string, nodeId: string): ErrorRecord | undefined {
  const graph = state.graph;
  if (!graph.nodes.get(nodeId)?.afterError) return undefined;
  const seen = new Set<string>();
  const stack: Array<{ scope: string; nodeId: string }> = [{ scope, nodeId }];
  for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
    const key = `${at.scope}\u0000${at.nodeId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = graph.nodes.get(at.nodeId);
    if (!node?.afterError) continue;
    // A graph-level handler is started with the uncaught failure as its input.
    if (node.in.length === 0 && graph.errorHandlers.includes(at.nodeId)) {
      const handlerRun = state.run(at.scope, at.nodeId);
      if (handlerRun) return handlerRun.input as ErrorRecord;
      continue;
    }
    const iteration = splitScope(at.scope);
    for (const e of node.in) {
      if (edgeState(state, at.scope, e) !== 'fired') continue;
      if (iteration && e.source === iteration.loopId && e.handle === 'body') {
        stack.push({ scope: iteration.parent, nodeId: iteration.loopId });
        continue;
      }
      const source = state.run(at.scope, e.source);
      if (source?.status === 'failed' && e.handle === 'error') return source.error ?? undefined;
      stack.push({ scope: at.scope, nodeId: e.source });
    }
  }
  return undefined;
}
