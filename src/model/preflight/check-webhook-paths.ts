import { Value } from '@sinclair/typebox/value';
import { jsonPointer } from '../json-pointer.js';
import { triggerConfigOf } from './check-trigger-configs.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/**
 * Ingress routes (a webhook's `POST /deploy`) that only one trigger may hold: taken by another
 * workflow, or twice in this one. Otherwise the second one would silently stay `invalid`.
 */
export const checkWebhookPaths: PreflightCheck = (def, facts) => {
  const problems: PreflightProblem[] = [];
  const mine = new Map<string, string>();
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'trigger' || node.disabled === true) return;
    const type = typeof node.config['trigger_type'] === 'string' ? node.config['trigger_type'] : 'manual';
    const rules = facts.triggers.get(type);
    if (!rules?.routeKeys) return;
    const config = Value.Default(rules.configSchema, Value.Clone(triggerConfigOf(node.config)));
    // An invalid config is reported by checkTriggerConfigs; its routes cannot be known.
    if (!Value.Check(rules.configSchema, config)) return;
    const route = rules.routeKeys(config as Record<string, unknown>);
    if (!route.exclusive) return;
    for (const key of route.keys) {
      const holder = facts.routeHolder(type, key) ?? (mine.has(key) ? `node ${mine.get(key)!} of this workflow` : undefined);
      if (holder !== undefined) {
        problems.push({
          code: PREFLIGHT_CODES.webhookPathTaken, message: `${type} route ${key} is already used by ${holder}: choose another path`,
          path: jsonPointer('nodes', i, 'config', 'path'), node_id: node.id,
        });
      } else mine.set(key, node.id);
    }
  });
  return { problems, warnings: [] };
};
