import type { EditorNode, GraphState, XY } from './types';

/**
 * The box a node is given in a layout. Wider than NODE_SIZE: a rendered node grows to 260 px with a
 * long label (styles.css .wf-node max-width), and a layout must not overlap the widest one.
 */
export const LAYOUT_BOX = { width: 260, height: 64 } as const;
const GAP_X = 90;
const GAP_Y = 44;

/**
 * Layers by the longest path from a trigger (or any node nothing points to): a node sits one
 * column right of its deepest predecessor, which is how people read a workflow. Edges that close a
 * cycle are ignored for ranking.
 */
export function layers(nodeIds: readonly string[], edges: readonly { source: string; target: string }[], isEntry: (id: string) => boolean = () => false): Map<string, number> {
  const known = new Set(nodeIds);
  const out = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) if (known.has(e.source) && known.has(e.target) && e.source !== e.target) out.get(e.source)!.push(e.target);
  const hasIn = new Set(edges.filter((e) => known.has(e.source) && e.source !== e.target).map((e) => e.target));
  // Depth-first from the entries finds a topological order and the back edges of any cycle.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const t of out.get(id)!) {
      const s = state.get(t);
      if (s === 'open') back.add(`${id}>${t}`);
      else if (s === undefined) visit(t);
    }
    state.set(id, 'done');
    order.push(id);
  };
  const starts = [...nodeIds.filter(isEntry), ...nodeIds.filter((id) => !hasIn.has(id)), ...nodeIds];
  for (const id of starts) if (!state.has(id)) visit(id);
  const rank = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const id of order.reverse()) {
    for (const t of out.get(id)!) if (!back.has(`${id}>${t}`)) rank.set(t, Math.max(rank.get(t)!, rank.get(id)! + 1));
  }
  return rank;
}

/**
 * Nodes without a stored position (an API-built workflow, a template without positions) are laid
 * out on load; so is a graph stacked on one point (such a workflow once saved from the canvas).
 */
export function needsLayout(nodes: readonly { position_x?: number | null; position_y?: number | null }[]): boolean {
  if (nodes.some((n) => n.position_x == null || n.position_y == null)) return true;
  return nodes.length > 1 && nodes.every((n) => n.position_x === nodes[0]!.position_x && n.position_y === nodes[0]!.position_y);
}

/**
 * Left-to-right layered layout: columns by `layers`, each column ordered by a few barycentre sweeps
 * (fewer crossings), each node placed level with its predecessors where the column leaves room.
 * Only positions change; no two boxes overlap.
 */
export function autoLayout(g: GraphState): GraphState {
  const ids = g.nodes.map((n) => n.id);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const rank = layers(ids, g.edges, (id) => byId.get(id)?.data.node.node_type === 'trigger');
  const columns: string[][] = [];
  for (const id of ids) (columns[rank.get(id)!] ??= []).push(id);
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  const succs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of g.edges) {
    if (!byId.has(e.source) || !byId.has(e.target) || rank.get(e.source)! >= rank.get(e.target)!) continue;
    preds.get(e.target)!.push(e.source);
    succs.get(e.source)!.push(e.target);
  }
  const index = new Map<string, number>();
  const reindex = () => columns.forEach((c) => c.forEach((id, i) => index.set(id, i)));
  reindex();
  const sortBy = (col: string[], neighbours: Map<string, string[]>) => {
    const bary = new Map(col.map((id) => {
      const ns = neighbours.get(id)!;
      return [id, ns.length ? ns.reduce((s, n) => s + index.get(n)!, 0) / ns.length : index.get(id)!] as const;
    }));
    col.sort((a, b) => bary.get(a)! - bary.get(b)!);
    col.forEach((id, i) => index.set(id, i));
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const col of columns.slice(1)) if (col) sortBy(col, preds);
    for (const col of columns.slice(0, -1).reverse()) if (col) sortBy(col, succs);
  }
  const size = (n: EditorNode) => ({ width: Math.max(n.measured?.width ?? 0, LAYOUT_BOX.width), height: Math.max(n.measured?.height ?? 0, LAYOUT_BOX.height) });
  const colWidth = columns.map((c) => Math.max(0, ...(c ?? []).map((id) => size(byId.get(id)!).width)));
  const pos = new Map<string, XY>();
  let x = 0;
  columns.forEach((col, r) => {
    let nextFree = -Infinity;
    for (const id of col ?? []) {
      const ps = preds.get(id)!.map((p) => pos.get(p)!.y);
      const wanted = ps.length ? ps.reduce((s, y) => s + y, 0) / ps.length : nextFree === -Infinity ? 0 : nextFree;
      const y = Math.max(wanted, nextFree);
      pos.set(id, { x, y: Math.round(y) });
      nextFree = y + size(byId.get(id)!).height + GAP_Y;
    }
    x += colWidth[r]! + GAP_X;
  });
  return { ...g, nodes: g.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position })) };
}
