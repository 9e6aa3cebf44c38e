import { jsonPointer } from '../json-pointer.js';
import { triggerConfigOf } from './check-trigger-configs.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/** How soon a first scheduled run is worth a word before activating. */
export const SCHEDULE_SOON_MS = 60_000;

/** A schedule that fires within a minute of activation: allowed, but the user should know. */
export const checkScheduleSoon: PreflightCheck = (def, facts) => {
  const warnings: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'trigger' || node.disabled === true || node.config['trigger_type'] !== 'schedule') return;
    const next = facts.nextScheduleTick(triggerConfigOf(node.config), facts.now);
    if (next === undefined || next - facts.now > SCHEDULE_SOON_MS) return;
    const seconds = Math.max(0, Math.round((next - facts.now) / 1000));
    warnings.push({
      code: PREFLIGHT_CODES.scheduleSoon, message: `the schedule fires in ${seconds} s (${new Date(next).toISOString()}): the first run starts right after activation`,
      path: jsonPointer('nodes', i, 'config'), node_id: node.id,
    });
  });
  return { problems: [], warnings };
};
