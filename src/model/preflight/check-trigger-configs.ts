import { Value } from '@sinclair/typebox/value';
import { FiringPolicySchema, splitPolicy } from '../firing-policy.js';
import { jsonPointer } from '../json-pointer.js';
import { valueProblems } from '../validate/value-problems.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/**
 * A trigger node's config without the keys that pick the node's type and without the settings every
 * type shares (debounce_seconds, rate_limit: model/firing-policy.ts), as its source validates it.
 */
export function triggerConfigOf(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { trigger_type: _t, node_id: _n, ...rest } = config;
  return splitPolicy(rest).rest;
}

/**
 * Every enabled trigger node's config against its source's schema and checks: the same rules the
 * trigger manager applies when it starts it, which otherwise only show as an `invalid` trigger later.
 */
export const checkTriggerConfigs: PreflightCheck = (def, facts) => {
  const problems: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'trigger' || node.disabled === true) return;
    const type = typeof node.config['trigger_type'] === 'string' ? node.config['trigger_type'] : 'manual';
    const base = jsonPointer('nodes', i, 'config');
    const rules = facts.triggers.get(type);
    if (!rules) {
      problems.push({ code: PREFLIGHT_CODES.triggerUnavailable, message: `trigger type ${type} is not available on this server`, path: `${base}/trigger_type`, node_id: node.id });
      return;
    }
    const config = triggerConfigOf(node.config);
    const policy = Object.fromEntries(Object.entries(node.config).filter(([k]) => k === 'debounce_seconds' || k === 'rate_limit'));
    const shape = [
      ...valueProblems(FiringPolicySchema, policy, { basePath: base, code: 'invalid_config' }),
      ...valueProblems(rules.configSchema, config, { basePath: base, code: 'invalid_config' }),
    ];
    for (const p of shape) {
      problems.push({ code: PREFLIGHT_CODES.triggerConfig, message: `${fieldName(p.path, base)} ${p.message}`, path: p.path, node_id: node.id });
    }
    if (shape.length > 0 || !rules.check) return;
    for (const line of rules.check(Value.Default(rules.configSchema, Value.Clone(config)) as Record<string, unknown>)) {
      const m = /^(\/\S*): (.*)$/s.exec(line);
      const path = m ? `${base}${m[1] === '/' ? '' : m[1]}` : base;
      problems.push({ code: PREFLIGHT_CODES.triggerConfig, message: m ? `${fieldName(path, base)} ${m[2]}` : line, path, node_id: node.id });
    }
  });
  return { problems, warnings: [] };
};

/** `/nodes/0/config/auth/mode` → `auth.mode`, how people name the field. */
function fieldName(path: string, base: string): string {
  const rest = path.slice(base.length).replace(/^\//, '');
  return rest === '' ? 'config' : rest.split('/').join('.');
}
