import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import { involved, type DefinitionCheck } from './definition-check.js';

/** Every node's type must be in the catalog and available in this version. */
export const checkNodeTypes: DefinitionCheck = (def, catalog) => {
  const problems: Problem[] = [];
  const known = [...catalog.nodeTypes.keys()].join(', ');
  def.nodes.forEach((node, i) => {
    const type: string = node.node_type;
    if (type === '') return;
    const spec = catalog.nodeTypes.get(node.node_type);
    const path = jsonPointer('nodes', i, 'node_type');
    if (!spec) {
      problems.push(problem(path, PROBLEM_CODES.unknownNodeType, `unknown node type "${type}" (known: ${known})`, involved(node.id)));
    } else if (!spec.available) {
      problems.push(
        problem(path, PROBLEM_CODES.unavailableNodeType, `node type "${type}" is not available in this version`, involved(node.id)),
      );
    }
  });
  return problems;
};
