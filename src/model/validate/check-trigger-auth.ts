import { AUTH_REQUIRED_MESSAGE, AUTH_REQUIRED_TRIGGERS } from '../ingress-auth-modes.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, type Problem } from '../problems.js';
import { involved, type DefinitionCheck } from './definition-check.js';

/** A webhook or alert trigger node must choose its auth mode: an open endpoint is never a default. */
export const checkTriggerAuth: DefinitionCheck = (def) => {
  const problems: Problem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'trigger' || node.disabled === true) return;
    const type = node.config['trigger_type'];
    if (typeof type !== 'string' || !AUTH_REQUIRED_TRIGGERS.includes(type)) return;
    const auth = node.config['auth'];
    if (typeof auth === 'object' && auth !== null && typeof (auth as Record<string, unknown>)['mode'] === 'string') return;
    const ids = involved(node.id);
    problems.push({
      path: jsonPointer('nodes', i, 'config', 'auth'), code: PROBLEM_CODES.invalidConfig,
      message: `a ${type} trigger's auth ${AUTH_REQUIRED_MESSAGE}`, ...(ids ? { node_ids: ids } : {}),
    });
  });
  return problems;
};
