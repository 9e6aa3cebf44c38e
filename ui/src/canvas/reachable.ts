import type { EditorEdge } from './types';

/** Node ids reachable from `start` along edges (not including `start` unless a path returns to it). */
export function reachableFrom(start: readonly string[], edges: readonly EditorEdge[]): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.source) ?? [];
    list.push(e.target);
    out.set(e.source, list);
  }
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of out.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return seen;
}

/** The nodes of a loop's body: everything reachable from its `body` handle (docs/WORKFLOWS.md "Loops"). */
export function loopBody(loopId: string, edges: readonly EditorEdge[]): Set<string> {
  const starts = edges.filter((e) => e.source === loopId && e.sourceHandle === 'body').map((e) => e.target);
  const body = reachableFrom(starts, edges.filter((e) => e.target !== loopId));
  for (const s of starts) body.add(s);
  body.delete(loopId);
  return body;
}
