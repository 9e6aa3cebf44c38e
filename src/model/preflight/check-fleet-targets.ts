import { Value } from '@sinclair/typebox/value';
import { HostTargets } from '../hosts/host.js';
import { matchHosts } from '../hosts/match-hosts.js';
import { jsonPointer } from '../json-pointer.js';
import type { WorkflowDefinition } from '../types.js';
import { knownString } from './known-value.js';
import { NO_FINDINGS, PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/** `targets` with every name and tag known before a run (literals, or `{{ $vars.x }}` with a default); undefined when any is computed. */
function knownTargets(def: WorkflowDefinition, raw: unknown): HostTargets | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(list)) return undefined;
    const known = list.map((v) => knownString(def, v));
    if (known.some((v) => v === undefined)) return undefined;
    out[key] = known as string[];
  }
  return Value.Check(HostTargets, out) ? out : undefined;
}

/**
 * Fleet steps (`targets`) against the host inventory as it is now: a name the inventory does not have
 * fails the step (`unknown_hosts`), and so do tags no host carries (`no_hosts_matched`). Warnings, not
 * refusals: the inventory is data that changes without the workflow (a template's placeholder canary,
 * hosts imported after activation), so the activation goes through and says what would fail today.
 */
export const checkFleetTargets: PreflightCheck = (def, facts) => {
  if (facts.hosts === undefined) return NO_FINDINGS;
  const warnings: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.disabled === true || node.node_type !== 'action' || node.config['targets'] === undefined) return;
    const targets = knownTargets(def, node.config['targets']);
    if (targets === undefined) return;
    const matched = matchHosts(facts.hosts!, targets);
    if (matched.unknownNames.length > 0) {
      warnings.push({
        code: PREFLIGHT_CODES.fleetHostUnknown, path: jsonPointer('nodes', i, 'config', 'targets', 'names'), node_id: node.id,
        message: `no host named ${matched.unknownNames.join(', ')} in the inventory: add ${matched.unknownNames.length > 1 ? 'them' : 'it'} under Hosts (or itw hosts import), or fix the name: the step fails until then`,
      });
    } else if (matched.hosts.length === 0) {
      warnings.push({
        code: PREFLIGHT_CODES.fleetNoHosts, path: jsonPointer('nodes', i, 'config', 'targets'), node_id: node.id,
        message: `targets select no host of the inventory now (tags: ${(targets.tags ?? []).join(', ') || 'none'}): the step fails until a host matches`,
      });
    }
  });
  return { problems: [], warnings };
};
