import type { EdgeChange, EditorEdge, EditorNode, NodeChange } from './types';

/**
 * Applies @xyflow/react's change events to our state: positions, selection, sizes and removals.
 * Unchanged nodes keep their identity, so React re-renders only the nodes that moved.
 */
export function applyNodeChanges(changes: readonly NodeChange[], nodes: readonly EditorNode[]): EditorNode[] {
  const byId = new Map<string, NodeChange[]>();
  for (const c of changes) {
    if (!c.id) continue;
    const list = byId.get(c.id) ?? [];
    list.push(c);
    byId.set(c.id, list);
  }
  const out: EditorNode[] = [];
  for (const n of nodes) {
    const list = byId.get(n.id);
    if (!list) {
      out.push(n);
      continue;
    }
    let next: EditorNode | undefined = n;
    for (const c of list) {
      if (!next) break;
      if (c.type === 'remove') next = undefined;
      else if (c.type === 'position') {
        const p = c as Extract<NodeChange, { type: 'position' }>;
        next = { ...next, ...(p.position ? { position: p.position } : {}), dragging: p.dragging ?? false };
      } else if (c.type === 'select' && 'selected' in c) next = { ...next, selected: (c as { selected: boolean }).selected };
      else if (c.type === 'dimensions' && 'dimensions' in c) {
        const d = (c).dimensions;
        if (d) next = { ...next, measured: { width: d.width, height: d.height } };
      }
    }
    if (next) out.push(next);
  }
  return out;
}

export function applyEdgeChanges(changes: readonly EdgeChange[], edges: readonly EditorEdge[]): EditorEdge[] {
  const removed = new Set(changes.filter((c) => c.type === 'remove' && c.id).map((c) => c.id!));
  const selected = new Map<string, boolean>();
  for (const c of changes) if (c.type === 'select' && c.id && 'selected' in c) selected.set(c.id, (c as { selected: boolean }).selected);
  return edges.filter((e) => !removed.has(e.id)).map((e) => (selected.has(e.id) && selected.get(e.id) !== !!e.selected ? { ...e, selected: selected.get(e.id)! } : e));
}
