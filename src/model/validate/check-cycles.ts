import { findCycles } from '../graph/find-cycles.js';
import { isLoopBackEdge } from '../graph/is-loop-back-edge.js';
import { loopBodies } from '../graph/loop-bodies.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem } from '../problems.js';
import type { DefinitionCheck } from './definition-check.js';

/** The graph is acyclic except for a loop body leading back to its loop (ARCHITECTURE.md §3). */
export const checkCycles: DefinitionCheck = (def) => {
  const bodies = loopBodies(def);
  const forward = def.edges.filter((e) => !isLoopBackEdge(e, bodies));
  const ids = [...new Set(def.nodes.map((n) => n.id).filter((id) => id !== ''))];
  return findCycles(ids, forward).map((cycle) => {
    const members = new Set(cycle);
    // Within a strongly connected component every edge between members lies on a cycle.
    const at = def.edges.findIndex(
      (e) =>
        members.has(e.source_node_id) &&
        members.has(e.target_node_id) &&
        (cycle.length > 1 || e.source_node_id === e.target_node_id) &&
        !isLoopBackEdge(e, bodies),
    );
    const message =
      cycle.length === 1
        ? `node "${cycle[0] ?? ''}" has an edge to itself; only a loop body may lead back to its loop`
        : `nodes ${cycle.map((id) => `"${id}"`).join(', ')} form a cycle; only a loop body may lead back to its loop`;
    return problem(jsonPointer('edges', at), PROBLEM_CODES.cycle, message, cycle);
  });
};
