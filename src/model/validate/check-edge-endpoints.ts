import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import { involved, type DefinitionCheck } from './definition-check.js';

/** Edges reference nodes by id; a dangling end is almost always a renamed or deleted node. */
export const checkEdgeEndpoints: DefinitionCheck = (def) => {
  const ids = new Set(def.nodes.map((n) => n.id));
  const problems: Problem[] = [];
  def.edges.forEach((edge, i) => {
    const { source_node_id: source, target_node_id: target } = edge;
    if (source !== '' && !ids.has(source)) {
      problems.push(
        problem(
          jsonPointer('edges', i, 'source_node_id'),
          PROBLEM_CODES.missingNode,
          `edge ${source} → ${target || '?'} leaves from node "${source}", which does not exist`,
          ids.has(target) ? involved(target) : undefined,
        ),
      );
    }
    if (target !== '' && !ids.has(target)) {
      problems.push(
        problem(
          jsonPointer('edges', i, 'target_node_id'),
          PROBLEM_CODES.missingNode,
          `edge ${source || '?'} → ${target} goes to node "${target}", which does not exist`,
          ids.has(source) ? involved(source) : undefined,
        ),
      );
    }
  });
  return problems;
};
