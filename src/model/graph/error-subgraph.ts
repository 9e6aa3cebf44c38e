import type { WorkflowDefinition } from '../types.js';
import { reachable } from './reachable.js';

type Graph = Pick<WorkflowDefinition, 'nodes' | 'edges'>;

/** Graph-level error handlers: `error_handler` nodes nothing points at (ARCHITECTURE.md §3). */
export function graphErrorHandlers(def: Graph): string[] {
  const targets = new Set(def.edges.map((e) => e.target_node_id));
  return def.nodes.filter((n) => n.node_type === 'error_handler' && !targets.has(n.id)).map((n) => n.id);
}

/** The graph-level handlers and everything they lead to: it runs only after an uncaught failure. */
export function errorSubgraph(def: Graph): ReadonlySet<string> {
  return reachable(graphErrorHandlers(def), def.edges);
}
