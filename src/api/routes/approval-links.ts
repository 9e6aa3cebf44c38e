import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { confirmPage, PAGE_HEADERS, resultPage } from '../approvals/confirm-page.js';
import type { ApprovalLinks } from '../approvals/link-signer.js';
import { toProblem } from '../error-map.js';
import { presentAnswer } from '../present/approval.js';
import type { ApprovalAnswers } from '../services/approval-answers.js';
import type { Api } from '../types.js';

const tags = ['approvals'];
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 2000 }) });

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
}

/** A browser gets the error as a page; anything else the usual problem+json (from the error handler). */
async function orErrorPage(req: FastifyRequest, reply: FastifyReply, fn: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await fn();
  } catch (err) {
    if (!wantsHtml(req)) throw err;
    const p = toProblem(err);
    return html(reply, p.status, resultPage(p.title, p.detail));
  }
}

function commentOf(body: unknown): string | null {
  const c = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['comment'] : undefined;
  return typeof c === 'string' && c.trim() !== '' ? c.slice(0, 2000) : null;
}

/**
 * The signed one-time links (public: the token is the credential). GET shows what is asked and a
 * confirm button, and changes nothing (mail scanners follow links); POST records the answer, once.
 * Forged or expired tokens are 401, an approval no longer waiting 409.
 */
export function approvalLinkRoutes(f: Api, answers: ApprovalAnswers, links: ApprovalLinks): void {
  // Encapsulated: the confirm form posts urlencoded, which no other route should accept.
  void f.register((plain, _opts, done) => {
    const child = plain.withTypeProvider<TypeBoxTypeProvider>();
    child.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    child.get('/approvals/:token', {
      schema: { tags, summary: 'The confirm page of a signed approval link (HTML; changes nothing)', security: [], params: TokenParams },
      config: { public: true },
    }, (req, reply) => orErrorPage(req, reply, async () => {
      const claims = links.verify(req.params.token);
      const approval = await answers.waiting(claims.run_id);
      const who = await answers.linkHolder(claims, approval);
      return html(reply, 200, confirmPage(approval, claims.decision, who.name));
    }));

    child.post('/approvals/:token', {
      schema: { tags, summary: 'Answer through a signed approval link, once (form or JSON `comment` optional)', security: [], params: TokenParams },
      config: { public: true },
    }, (req, reply) => orErrorPage(req, reply, async () => {
      const claims = links.verify(req.params.token);
      const decision = claims.decision === 'approve' ? 'approved' : 'rejected';
      // The link's holder is checked as they are now (deleted, revoked, demoted, no longer an approver).
      const who = await answers.linkHolder(claims, await answers.waiting(claims.run_id));
      const { approval, output } = await answers.answer(claims.run_id, decision, { by: who.name, comment: commentOf(req.body), who });
      req.log.info({ execution_id: approval.execution_id, node_id: approval.node_id, decision, by: who.name, via: 'link' }, 'approval answered');
      if (wantsHtml(req)) return html(reply, 200, resultPage(decision === 'approved' ? 'Approved' : 'Rejected', `Recorded for ${who.name}. You can close this page.`));
      return reply.code(200).send(presentAnswer(approval, output));
    }));

    done();
  });
}
