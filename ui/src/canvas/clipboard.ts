import { nextNodeId, newEdgeId } from './ids';
import type { EditorEdge, EditorNode, GraphState } from './types';

/** What copy keeps: the selected nodes and the edges between them. */
export interface Clip {
  readonly nodes: readonly EditorNode[];
  readonly edges: readonly EditorEdge[];
}

export function copySelection(g: GraphState): Clip | undefined {
  const nodes = g.nodes.filter((n) => n.selected);
  if (nodes.length === 0) return undefined;
  const ids = new Set(nodes.map((n) => n.id));
  return { nodes, edges: g.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/**
 * The clip's nodes with fresh ids, moved by `offset`, selected (and everything else deselected),
 * with their inner edges remapped. Pasting twice gives two independent copies.
 */
export function pasteClip(g: GraphState, clip: Clip, offset = { x: 40, y: 40 }): GraphState {
  const taken = new Set(g.nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  const pasted: EditorNode[] = clip.nodes.map((n) => {
    const id = nextNodeId(n.data.node.node_type, taken);
    taken.add(id);
    idMap.set(n.id, id);
    return { id, type: 'itw', position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: { node: { ...n.data.node, id } }, selected: true };
  });
  const edges: EditorEdge[] = clip.edges.map((e) => ({ ...e, id: newEdgeId(), source: idMap.get(e.source)!, target: idMap.get(e.target)!, selected: false }));
  return {
    nodes: [...g.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted],
    edges: [...g.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...edges],
  };
}
