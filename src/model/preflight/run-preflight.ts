import type { Catalog } from '../node-spec.js';
import type { WorkflowDefinition } from '../types.js';
import { validateDefinition } from '../validate-definition.js';
import { checkAllowLists } from './check-allow-lists.js';
import { checkCredentials } from './check-credentials.js';
import { checkFleetTargets } from './check-fleet-targets.js';
import { checkScheduleSoon } from './check-schedule-soon.js';
import { checkSlackChatOps } from './check-slack-chatops.js';
import { checkTriggerConfigs } from './check-trigger-configs.js';
import { checkWebhookPaths } from './check-webhook-paths.js';
import { checkSelfCall } from './check-self-call.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightFacts, type PreflightFindings, type PreflightProblem } from './preflight-problem.js';

const CHECKS: readonly PreflightCheck[] = [checkTriggerConfigs, checkWebhookPaths, checkCredentials, checkAllowLists, checkScheduleSoon, checkSlackChatOps, checkSelfCall, checkFleetTargets];

export interface PreflightResult extends PreflightFindings {
  /** The validated definition, when the graph itself is valid (what activation publishes). */
  readonly definition: WorkflowDefinition | undefined;
}

/**
 * Everything that stands between a draft and an activation that works: the graph's own problems
 * first, then every rule over the server's state. All problems at once, so one fix round is enough.
 */
export function runPreflight(draft: WorkflowDefinition, catalog: Catalog, facts: PreflightFacts): PreflightResult {
  const checked = validateDefinition(draft, catalog);
  const def = checked.ok ? checked.definition : draft;
  const problems: PreflightProblem[] = checked.ok ? [] : checked.problems.map((p) => ({
    code: p.code === 'definition_invalid' ? PREFLIGHT_CODES.definition : p.code, message: p.message, path: p.path,
    ...(p.node_ids?.[0] !== undefined ? { node_id: p.node_ids[0] } : {}),
  }));
  const warnings: PreflightProblem[] = [];
  for (const check of CHECKS) {
    const found = check(def, facts);
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  return { problems, warnings, definition: checked.ok ? checked.definition : undefined };
}
