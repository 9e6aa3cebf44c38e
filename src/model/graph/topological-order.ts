/**
 * `ids` ordered so every node comes after the nodes with edges into it (Kahn's algorithm), ties kept
 * in the order `ids` gives. Edges touching ids outside the set are ignored; nodes on a cycle (never
 * in a valid definition) come last, in their given order.
 */
export function topologicalOrder(ids: readonly string[], edges: ReadonlyArray<{ readonly source: string; readonly target: string }>): string[] {
  const known = new Set(ids);
  const indegree = new Map(ids.map((id) => [id, 0]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    if (!known.has(e.source) || !known.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of out.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) {
        // Keep the ready list in definition order, so parallel branches list the way they were written.
        const at = ready.findIndex((r) => position.get(r)! > position.get(next)!);
        ready.splice(at < 0 ? ready.length : at, 0, next);
      }
    }
  }
  const placed = new Set(order);
  return [...order, ...ids.filter((id) => !placed.has(id))];
}
