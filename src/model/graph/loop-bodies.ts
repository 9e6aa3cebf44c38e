import type { WorkflowDefinition } from '../types.js';
import { reachable } from './reachable.js';

/**
 * Each loop node's body: everything reachable from its `body` edges, through any handle, without
 * re-entering the loop itself (that edge closes an iteration, it is not part of the body).
 * An inner loop and its body sit inside the outer loop's body.
 */
export function loopBodies(def: Pick<WorkflowDefinition, 'nodes' | 'edges'>): ReadonlyMap<string, ReadonlySet<string>> {
  const bodies = new Map<string, ReadonlySet<string>>();
  for (const node of def.nodes) {
    if (node.node_type !== 'loop') continue;
    const loopId = node.id;
    const starts = def.edges
      .filter((e) => e.source_node_id === loopId && e.source_handle === 'body' && e.target_node_id !== loopId)
      .map((e) => e.target_node_id);
    bodies.set(loopId, reachable(starts, def.edges, (e) => e.target_node_id !== loopId));
  }
  return bodies;
}
