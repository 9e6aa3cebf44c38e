import { acceptsInput } from './handles';
import { loopBody, reachableFrom } from './reachable';
import type { Connection, EditorEdge, EditorNode, HandlesOf } from './types';

/**
 * Why a connection may not be made, or null when the engine would accept it: the handle must be one
 * the source type fires, triggers take no input, no duplicates, and no cycles except an edge from a
 * loop's body back to the loop (which ends an iteration).
 */
export function connectionProblem(c: Connection, nodes: readonly EditorNode[], edges: readonly EditorEdge[], handlesOf: HandlesOf): string | null {
  const source = nodes.find((n) => n.id === c.source);
  const target = nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'both ends must be nodes on the canvas';
  if (c.source === c.target) return 'a node cannot connect to itself';
  const handles = handlesOf(source.data.node.node_type);
  const handle = c.sourceHandle ?? handles[0];
  if (!handle || !handles.includes(handle)) return `${source.data.node.node_type} has no "${String(c.sourceHandle)}" handle (it fires ${handles.join(', ')})`;
  if (!acceptsInput(target.data.node.node_type)) return 'a trigger starts the workflow: nothing connects into it';
  if (edges.some((e) => e.source === c.source && e.target === c.target && e.sourceHandle === handle)) return 'these handles are already connected';
  if (reachableFrom([c.target], edges).has(c.source)) {
    const isLoopBack = target.data.node.node_type === 'loop' && loopBody(target.id, edges).has(c.source);
    if (!isLoopBack) return 'this connection would make a cycle (only a loop body may lead back to its loop)';
  }
  return null;
}
