import { jsonPointer } from '../json-pointer.js';
import { NO_FINDINGS, PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/**
 * Slack parts on a server without a Slack app: the approval still waits (answer it in the UI or by
 * link) and the workflow still runs by other means, so a warning, not a refusal; but nothing reaches Slack.
 */
export const checkSlackChatOps: PreflightCheck = (def, facts) => {
  if (facts.slackChatOps !== false) return NO_FINDINGS;
  const warnings: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.disabled === true) return;
    const slackApproval = node.node_type === 'approval' && typeof node.config['slack_channel'] === 'string';
    const slashCommand = node.node_type === 'trigger' && node.config['trigger_type'] === 'slack_command';
    if (!slackApproval && !slashCommand) return;
    warnings.push({
      code: PREFLIGHT_CODES.chatopsOff,
      message: `${slackApproval ? 'the approval will not be posted to Slack' : '/itw run cannot start it'}: this server has no Slack app (set ITW_SLACK_CREDENTIAL, docs/CHATOPS.md)`,
      path: jsonPointer('nodes', i, 'config'), node_id: node.id,
    });
  });
  return { problems: [], warnings };
};
