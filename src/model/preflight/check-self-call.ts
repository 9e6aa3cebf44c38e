import { jsonPointer } from '../json-pointer.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/**
 * A `run_workflow` step naming its own workflow (by id or name) would start itself until
 * ITW_MAX_WORKFLOW_DEPTH stops it: reported at activation instead. Indirect cycles (A → B → A) are
 * left to the depth limit at run time.
 */
export const checkSelfCall: PreflightCheck = (def, facts) => {
  const problems: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.node_type !== 'run_workflow' || node.disabled === true) return;
    const ref = node.config['workflow_id'];
    if (typeof ref !== 'string' || (ref !== facts.workflowId && ref !== def.name)) return;
    problems.push({
      code: PREFLIGHT_CODES.workflowCallsItself,
      message: `node "${node.id}" runs this workflow itself: it would start itself again and again (stopped only by ITW_MAX_WORKFLOW_DEPTH)`,
      path: jsonPointer('nodes', i, 'config', 'workflow_id'), node_id: node.id,
    });
  });
  return { problems, warnings: [] };
};
