import type { ProblemItem } from '../api/types';

export interface LocatedProblems {
  readonly nodes: Map<string, string[]>;
  readonly edges: Map<string, string[]>;
  /** Problems that belong to no node or edge (variables, settings, the document). */
  readonly general: string[];
}

/**
 * Puts the server's 422 problems where they belong: on the nodes they name (`node_ids`, or a path
 * under `/nodes/<i>`), on edges (`/edges/<i>`), or in the general list.
 */
export function locateProblems(problems: readonly ProblemItem[], nodeIds: readonly string[], edgeIds: readonly string[]): LocatedProblems {
  const nodes = new Map<string, string[]>();
  const edges = new Map<string, string[]>();
  const general: string[] = [];
  const add = (m: Map<string, string[]>, id: string, msg: string) => {
    const list = m.get(id) ?? [];
    if (!list.includes(msg)) list.push(msg);
    m.set(id, list);
  };
  for (const p of problems) {
    const path = p.path ?? '';
    const edge = /^\/edges\/(\d+)/.exec(path);
    const node = /^\/nodes\/(\d+)/.exec(path);
    const detail = node ? path.replace(/^\/nodes\/\d+\/?/, '') : '';
    const msg = detail ? `${detail.replace(/\//g, '.')}: ${p.message}` : p.message;
    if (edge && edgeIds[Number(edge[1])] !== undefined) {
      add(edges, edgeIds[Number(edge[1])]!, p.message);
      for (const id of p.node_ids ?? []) add(nodes, id, p.message);
    } else if (p.node_ids && p.node_ids.length > 0) {
      for (const id of p.node_ids) add(nodes, id, msg);
    } else if (node && nodeIds[Number(node[1])] !== undefined) {
      add(nodes, nodeIds[Number(node[1])]!, msg);
    } else {
      general.push(path ? `${path}: ${p.message}` : p.message);
    }
  }
  return { nodes, edges, general };
}
