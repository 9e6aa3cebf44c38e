import type { DefinitionDocument } from '../api/types';
import { toGraph } from './convert';
import { handlesFrom } from './handles';
import { autoLayout, needsLayout } from './layout';
import { NODE_SIZE } from './types';

export interface PreviewShape {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly { id: string; type: string; label: string; x: number; y: number }[];
  readonly edges: readonly { id: string; x1: number; y1: number; x2: number; y2: number }[];
}

/**
 * A thumbnail of a definition's graph: its own positions when it has them, else an auto-layout;
 * translated so the box starts at 0,0.
 */
export function previewShape(def: Pick<DefinitionDocument, 'nodes' | 'edges'>): PreviewShape {
  let g = toGraph(def, handlesFrom(undefined));
  if (needsLayout(def.nodes)) g = autoLayout(g);
  if (g.nodes.length === 0) return { width: 1, height: 1, nodes: [], edges: [] };
  const minX = Math.min(...g.nodes.map((n) => n.position.x));
  const minY = Math.min(...g.nodes.map((n) => n.position.y));
  const pos = new Map(g.nodes.map((n) => [n.id, { x: n.position.x - minX, y: n.position.y - minY }]));
  const nodes = g.nodes.map((n) => ({ id: n.id, type: n.data.node.node_type, label: n.data.node.label || n.id, ...pos.get(n.id)! }));
  const edges = g.edges.flatMap((e) => {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    return a && b ? [{ id: e.id, x1: a.x + NODE_SIZE.width, y1: a.y + NODE_SIZE.height / 2, x2: b.x, y2: b.y + NODE_SIZE.height / 2 }] : [];
  });
  return {
    width: Math.max(...nodes.map((n) => n.x)) + NODE_SIZE.width,
    height: Math.max(...nodes.map((n) => n.y)) + NODE_SIZE.height,
    nodes, edges,
  };
}
