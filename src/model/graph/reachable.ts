import type { WorkflowEdge } from '../types.js';

type EdgeLike = Pick<WorkflowEdge, 'source_node_id' | 'target_node_id'>;

/**
 * Node ids reachable from `starts` (included) along `edges`. `follow` lets callers cut edges
 * (a loop's back edge, say) without building a filtered copy of the graph.
 */
export function reachable<E extends EdgeLike>(
  starts: Iterable<string>,
  edges: readonly E[],
  follow: (edge: E) => boolean = () => true,
): Set<string> {
  const out = new Map<string, E[]>();
  for (const e of edges) {
    const list = out.get(e.source_node_id);
    if (list) list.push(e);
    else out.set(e.source_node_id, [e]);
  }
  const seen = new Set<string>();
  const stack = [...starts];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of out.get(id) ?? []) if (follow(e)) stack.push(e.target_node_id);
  }
  return seen;
}
