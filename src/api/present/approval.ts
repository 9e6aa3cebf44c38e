import type { WaitingApproval } from '../../store/approval-queries.js';
import type { ApprovalOutput } from '../services/approval-answers.js';
import { iso } from '../schemas/common.js';

export function presentApproval(a: WaitingApproval, canAnswer: boolean, links?: { approve_url: string; reject_url: string }) {
  return {
    run_id: a.run_id, execution_id: a.execution_id, workflow_id: a.workflow_id, node_id: a.node_id, scope: a.scope,
    message: a.message, approvers: [...a.approvers], plan: [...a.plan], requested_at: iso(a.requested_at), expires_at: iso(a.expires_at),
    can_answer: canAnswer, ...(links ?? {}),
  };
}

export function presentAnswer(a: WaitingApproval, o: ApprovalOutput) {
  return { run_id: a.run_id, execution_id: a.execution_id, node_id: a.node_id, ...o };
}
