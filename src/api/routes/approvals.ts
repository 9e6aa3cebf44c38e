import { Type } from '@sinclair/typebox';
import type { WaitingApproval } from '../../store/approval-queries.js';
import { loadApprovalLinkSecret } from '../approvals/link-secret.js';
import { ApprovalLinks, type LinkHolder } from '../approvals/link-signer.js';
import { presentAnswer, presentApproval } from '../present/approval.js';
import { AnswerBody, AnswerSchema, ApprovalListQuery, ApprovalSchema } from '../schemas/approval.js';
import { problems } from '../schemas/common.js';
import { ApprovalAnswers, mayAnswer } from '../services/approval-answers.js';
import type { Api, ApiDeps, Principal } from '../types.js';
import { approvalLinkRoutes } from './approval-links.js';

const tags = ['approvals'];
/** A link for an approval that waits forever (or longer than this) stops working after a week. */
const MAX_LINK_TTL_MS = 7 * 86_400_000;

/**
 * Pending approvals across executions and their answers. Who may answer: an operator or stronger,
 * and when the approval names approvers, only they (matched by username or API key name) or an admin.
 */
export function approvalRoutes(f: Api, deps: ApiDeps): void {
  const links = new ApprovalLinks(loadApprovalLinkSecret({ fromEnv: deps.config.approvalLinkSecret, dataDir: deps.config.dataDir }));
  const answers = new ApprovalAnswers(deps.app);

  /**
   * Signed links for someone who may answer, built on the configured public URL: never on the
   * request's Host header, which whoever sends the request chooses.
   */
  function linksFor(a: WaitingApproval, p: Principal & { kind: LinkHolder['kind'] }) {
    const expires = Math.min(a.expires_at ?? Infinity, Date.now() + MAX_LINK_TTL_MS);
    const base = `${deps.config.publicUrl}/approvals/`;
    const holder = { kind: p.kind, id: p.id };
    const sign = (decision: 'approve' | 'reject') => base + links.sign({ run_id: a.run_id, decision, expires_at: expires, by: p.name, holder });
    return { approve_url: sign('approve'), reject_url: sign('reject') };
  }

  f.get('/automation/approvals', {
    schema: {
      tags, summary: 'Approvals waiting for an answer, oldest first; signed approve/reject links for those the caller may answer',
      querystring: ApprovalListQuery, response: { 200: Type.Object({ items: Type.Array(ApprovalSchema) }) },
    },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const p = req.principal!;
    const waiting = await deps.app.repos.approvals.listWaiting({ workflowId: req.query.workflow_id, executionId: req.query.execution_id });
    return {
      items: waiting.map((a) => {
        const can = mayAnswer(a, p);
        const linkable = p.kind === 'session' || p.kind === 'api_key';
        return presentApproval(a, can, can && linkable ? linksFor(a, { ...p, kind: p.kind }) : undefined);
      }),
    };
  });

  for (const [verb, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    f.post(`/automation/approvals/:run_id/${verb}`, {
      schema: {
        tags, summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a waiting approval (fires its \`${decision}\` handle)`,
        params: Type.Object({ run_id: Type.String({ minLength: 1 }) }), body: AnswerBody,
        response: { 200: AnswerSchema, ...problems(400, 403, 404, 409) },
      },
      config: { minRole: 'operator' },
    }, async (req) => {
      const p = req.principal!;
      const { approval, output } = await answers.answer(req.params.run_id, decision, { by: p.name, comment: req.body?.comment, who: p });
      req.log.info({ execution_id: approval.execution_id, node_id: approval.node_id, decision, by: p.name }, 'approval answered');
      return presentAnswer(approval, output);
    });
  }

  approvalLinkRoutes(f, answers, links);
}
