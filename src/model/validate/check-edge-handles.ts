import { edgeHandle } from '../graph/edge-handle.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import type { DefinitionCheck } from './definition-check.js';

/** An edge must leave from a handle its source fires, or the type's default handle. */
export const checkEdgeHandles: DefinitionCheck = (def, catalog) => {
  const byId = new Map([...def.nodes].reverse().map((n) => [n.id, n]));
  const problems: Problem[] = [];
  def.edges.forEach((edge, i) => {
    const source = byId.get(edge.source_node_id);
    const spec = source && catalog.nodeTypes.get(source.node_type);
    if (!source || !spec) return;
    const valid = spec.handles.join(', ');
    const handle = edgeHandle(edge, spec);
    const path = jsonPointer('edges', i, 'source_handle');
    if (handle === undefined) {
      const message = `an edge from "${source.id}" (${source.node_type}) must name its source_handle: one of ${valid}`;
      problems.push(problem(path, PROBLEM_CODES.unknownHandle, message, [source.id]));
    } else if (!spec.handles.includes(handle)) {
      const message = `node "${source.id}" (${source.node_type}) has no handle "${handle}"; valid handles: ${valid}`;
      problems.push(problem(path, PROBLEM_CODES.unknownHandle, message, [source.id]));
    }
  });
  return problems;
};
