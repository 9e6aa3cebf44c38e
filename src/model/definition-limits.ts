/**
 * How big one workflow definition may be. A 7,000-branch, 830 KB definition (under the 1 MB body
 * limit) held the server for 8 s per run while the engine planned it. Hand-drawn workflows have tens
 * of nodes and the largest templates under 50; these bounds leave two orders of magnitude. Constants:
 * the engine's planning cost, not a site preference, decides them.
 */
export const DEFINITION_LIMITS = {
  /** Serialized size of the definition (JSON, UTF-8 bytes). */
  bytes: 512 * 1024,
  nodes: 2000,
  edges: 4000,
} as const;

export interface SizeProblem {
  readonly path: string;
  readonly message: string;
}

/** What is over the limits in a definition-shaped value; empty when it fits. Counts before any other check. */
export function definitionSizeProblems(def: unknown, limits: typeof DEFINITION_LIMITS = DEFINITION_LIMITS): SizeProblem[] {
  if (def === null || typeof def !== 'object') return [];
  const out: SizeProblem[] = [];
  const { nodes, edges } = def as { nodes?: unknown; edges?: unknown };
  if (Array.isArray(nodes) && nodes.length > limits.nodes) out.push({ path: '/nodes', message: `has ${nodes.length} nodes; at most ${limits.nodes} are allowed` });
  if (Array.isArray(edges) && edges.length > limits.edges) out.push({ path: '/edges', message: `has ${edges.length} edges; at most ${limits.edges} are allowed` });
  const bytes = Buffer.byteLength(JSON.stringify(def) ?? '', 'utf8');
  if (bytes > limits.bytes) out.push({ path: '', message: `the definition is ${bytes} bytes as JSON; at most ${limits.bytes} are allowed` });
  return out;
}
