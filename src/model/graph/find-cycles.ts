import type { WorkflowEdge } from '../types.js';

/**
 * Cycles as Tarjan strongly connected components of more than one node, plus self-loops.
 * Members are listed in `nodeIds` order and cycles by their first member, so problems read the
 * same on every save. Edges touching unknown ids are ignored (another check reports them).
 */
export function findCycles(
  nodeIds: readonly string[],
  edges: readonly Pick<WorkflowEdge, 'source_node_id' | 'target_node_id'>[],
): string[][] {
  const order = new Map(nodeIds.map((id, i) => [id, i]));
  const out = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  const selfLoops = new Set<string>();
  for (const e of edges) {
    if (!order.has(e.target_node_id)) continue;
    out.get(e.source_node_id)?.push(e.target_node_id);
    if (e.source_node_id === e.target_node_id && order.has(e.source_node_id)) selfLoops.add(e.source_node_id);
  }

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;

  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || selfLoops.has(v)) components.push(component);
  };
  for (const id of nodeIds) if (!index.has(id)) visit(id);

  const rank = (id: string): number => order.get(id) ?? 0;
  for (const c of components) c.sort((a, b) => rank(a) - rank(b));
  return components.sort((a, b) => rank(a[0] ?? '') - rank(b[0] ?? ''));
}
