import { loopBodies } from '../graph/loop-bodies.js';
import { reachable } from '../graph/reachable.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import type { DefinitionCheck } from './definition-check.js';

/**
 * A loop body runs once per item in its own scope, so it may be entered only through the loop's
 * `body` edge: an edge into the body from elsewhere (the done path included) would mix scopes.
 * Every node reachable from both body and done is caught here too, since some edge on the done
 * path must enter the body.
 */
export const checkLoopBodies: DefinitionCheck = (def) => {
  const problems: Problem[] = [];
  for (const [loopId, body] of loopBodies(def)) {
    const doneStarts = def.edges
      .filter((e) => e.source_node_id === loopId && e.source_handle === 'done')
      .map((e) => e.target_node_id);
    const afterDone = reachable(doneStarts, def.edges, (e) => e.target_node_id !== loopId);
    def.edges.forEach((edge, i) => {
      const { source_node_id: source, target_node_id: target } = edge;
      if (source === '' || !body.has(target) || body.has(source)) return;
      const isBodyEdge = source === loopId && edge.source_handle === 'body';
      if (isBodyEdge) return;
      const fromDone = afterDone.has(source) || (source === loopId && edge.source_handle === 'done');
      const message = fromDone
        ? `node "${target}" is in the body of loop "${loopId}" and also reachable from its done handle`
        : `node "${target}" is in the body of loop "${loopId}" but also reached from "${source}" outside the body`;
      problems.push(problem(jsonPointer('edges', i), PROBLEM_CODES.loopBody, message, [target, loopId]));
    });
  }
  return problems;
};
