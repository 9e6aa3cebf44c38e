import type { WorkflowEdge } from '../types.js';

/** An edge from inside a loop's body back to the loop: it ends an iteration, so it is no cycle. */
export function isLoopBackEdge(
  edge: Pick<WorkflowEdge, 'source_node_id' | 'target_node_id' | 'source_handle'>,
  bodies: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  const body = bodies.get(edge.target_node_id);
  if (!body) return false;
  if (body.has(edge.source_node_id)) return true;
  return edge.source_node_id === edge.target_node_id && edge.source_handle === 'body';
}
