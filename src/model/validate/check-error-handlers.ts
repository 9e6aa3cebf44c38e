import { errorSubgraph, graphErrorHandlers } from '../graph/error-subgraph.js';
import { reachable } from '../graph/reachable.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import type { DefinitionCheck } from './definition-check.js';

/**
 * What follows a graph-level error handler runs only after an uncaught failure; a node also fed
 * by the normal flow would wait on a handler that usually never runs. Any such node is entered
 * by an edge from outside the error subgraph, so that edge is what we report.
 */
export const checkErrorHandlers: DefinitionCheck = (def) => {
  const handlers = graphErrorHandlers(def);
  if (handlers.length === 0) return [];
  const errorPart = errorSubgraph(def);
  const ids = new Set(def.nodes.map((n) => n.id));
  const reach = new Map(handlers.map((h) => [h, reachable([h], def.edges)]));
  const problems: Problem[] = [];
  def.edges.forEach((edge, i) => {
    const { source_node_id: source, target_node_id: target } = edge;
    if (!errorPart.has(target) || errorPart.has(source) || !ids.has(source)) return;
    const handler = handlers.find((h) => reach.get(h)?.has(target)) ?? '';
    const message = `node "${target}" runs after error handler "${handler}" but is also reached from "${source}" on the normal path`;
    problems.push(problem(jsonPointer('edges', i), PROBLEM_CODES.errorHandler, message, [target]));
  });
  return problems;
};
