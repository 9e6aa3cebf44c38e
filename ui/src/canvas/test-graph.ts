import type { NodeType } from '../api/types';
import { toGraph } from './convert';
import { handlesFrom } from './handles';
import type { GraphState } from './types';

/** A graph from `id:type` names and `a.handle>b` edges, for tests: `graph(['t:trigger', 'c:condition'], ['t>c'])`. */
export function graph(nodes: readonly string[], edges: readonly string[] = []): GraphState {
  return toGraph({
    nodes: nodes.map((n, i) => {
      const [id, type] = n.split(':') as [string, NodeType];
      return { id, node_type: type, config: {}, position_x: i * 300, position_y: 0 };
    }),
    edges: edges.map((e, i) => {
      const [from, to] = e.split('>') as [string, string];
      const [source, handle] = from.split('.') as [string, string | undefined];
      return { id: `e${i}`, source_node_id: source, target_node_id: to, ...(handle ? { source_handle: handle } : {}) };
    }),
  }, handlesFrom(undefined));
}
