import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import { involved, type DefinitionCheck } from './definition-check.js';
import { isRecord } from './salvage-definition.js';
import { valueProblems } from './value-problems.js';
import { didYouMean } from '../nearest-name.js';

/**
 * Action nodes name a catalog action and carry its params, either as `params: {...}` or flat
 * beside `action_type` (the seed's form). A non-string `action_type` is left to the config schema.
 */
export const checkActions: DefinitionCheck = (def, catalog) => {
  const problems: Problem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'action') return;
    const actionType = node.config['action_type'];
    if (typeof actionType !== 'string') return;
    const ids = involved(node.id);
    const action = catalog.actions.get(actionType);
    if (!action) {
      const message = `unknown action "${actionType}"${didYouMean(actionType, catalog.actions.keys())}`;
      problems.push(problem(jsonPointer('nodes', i, 'config', 'action_type'), PROBLEM_CODES.unknownAction, message, ids));
      return;
    }
    const explicit = node.config['params'];
    const { action_type: _ignored, ...flat } = node.config;
    const options = {
      basePath: isRecord(explicit) ? jsonPointer('nodes', i, 'config', 'params') : jsonPointer('nodes', i, 'config'),
      code: PROBLEM_CODES.invalidConfig,
      lenientTemplates: true,
      ...(ids ? { node_ids: ids } : {}),
    };
    problems.push(...valueProblems(action.params, isRecord(explicit) ? explicit : flat, options));
  });
  return problems;
};
