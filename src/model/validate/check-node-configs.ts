import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, type Problem } from '../problems.js';
import { involved, type DefinitionCheck } from './definition-check.js';
import { valueProblems } from './value-problems.js';

/** Each node's config against its type's schema; `{{ }}` strings may stand for any type. */
export const checkNodeConfigs: DefinitionCheck = (def, catalog) => {
  const problems: Problem[] = [];
  def.nodes.forEach((node, i) => {
    const spec = catalog.nodeTypes.get(node.node_type);
    if (!spec) return;
    const ids = involved(node.id);
    const options = {
      basePath: jsonPointer('nodes', i, 'config'),
      code: PROBLEM_CODES.invalidConfig,
      lenientTemplates: true,
      ...(ids ? { node_ids: ids } : {}),
    };
    problems.push(...valueProblems(spec.configSchema, node.config, options));
  });
  return problems;
};
