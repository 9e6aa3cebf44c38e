import type { Role } from '../model/roles.js';
import { APPROVE_ACTION, REJECT_ACTION } from './approval-message.js';
import { fieldError, type SlackForm } from './slack-form.js';

/** The one interaction we answer: a click on an approval's Approve / Reject button. */
export interface ApprovalClick {
  readonly slack_user_id: string;
  readonly run_id: string;
  readonly decision: 'approved' | 'rejected';
  readonly response_url: string | undefined;
}

const rec = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The `payload` field of an interaction request (a JSON string, type `block_actions`). Undefined
 * for interactions that are not our buttons (Slack sends every interaction of the app here);
 * a malformed payload is a 400 naming the field.
 */
export function approvalClick(form: SlackForm): ApprovalClick | undefined {
  let payload: Record<string, unknown> | undefined;
  try {
    payload = rec(JSON.parse(form.required('payload')));
  } catch (err) {
    if (err instanceof SyntaxError) throw fieldError('payload', 'is not JSON');
    throw err;
  }
  if (payload === undefined) throw fieldError('payload', 'must be a JSON object');
  if (payload['type'] !== 'block_actions') return undefined;
  const actions = Array.isArray(payload['actions']) ? payload['actions'] : [];
  const action = actions.map(rec).find((a) => a?.['action_id'] === APPROVE_ACTION || a?.['action_id'] === REJECT_ACTION);
  if (action === undefined) return undefined;
  const slackUserId = str(rec(payload['user'])?.['id']);
  if (slackUserId === undefined) throw fieldError('payload/user/id', 'is required');
  const runId = str(action['value']);
  if (runId === undefined || runId.length > 200) throw fieldError('payload/actions/0/value', 'must be the approval id');
  return {
    slack_user_id: slackUserId,
    run_id: runId,
    decision: action['action_id'] === APPROVE_ACTION ? 'approved' : 'rejected',
    response_url: str(payload['response_url']),
  };
}

/** Who a Slack user acts as; undefined when nobody mapped them (users.slack_user_id). */
export interface SlackActor {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}
