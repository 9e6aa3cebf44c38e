import dagre from '@dagrejs/dagre';
import { NODE_SIZE, type GraphState } from './types';

/**
 * Left-to-right layered layout (dagre): each node's rank follows its longest path from an entry,
 * which is how people read a workflow. Only positions change.
 */
export function autoLayout(g: GraphState, direction: 'LR' | 'TB' = 'LR'): GraphState {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: direction, nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) {
    graph.setNode(n.id, { width: n.measured?.width ?? NODE_SIZE.width, height: n.measured?.height ?? NODE_SIZE.height });
  }
  for (const e of g.edges) graph.setEdge(e.source, e.target);
  dagre.layout(graph);
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const p = graph.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
      return p ? { ...n, position: { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) } } : n;
    }),
  };
}
