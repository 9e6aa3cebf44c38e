import type { App } from '../../app.js';
import { ConflictError, ItwError, NotFoundError } from '../../model/errors.js';
import { roleAtLeast, type Role } from '../../model/roles.js';
import type { WaitingApproval } from '../../store/approval-queries.js';
import type { LinkClaims } from '../approvals/link-signer.js';

export const DECISIONS = ['approved', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

/** What an approval node's run records as its output, and fires its `approved`/`rejected` handle with. */
export interface ApprovalOutput {
  readonly decision: Decision;
  readonly by: string;
  readonly comment: string | null;
  readonly decided_at: string;
}

/** Operators and stronger may answer; an approval that names approvers takes only them, or an admin. */
export function mayAnswer(a: WaitingApproval, who: { readonly name: string; readonly role: Role }): boolean {
  if (!roleAtLeast(who.role, 'operator')) return false;
  return a.approvers.length === 0 || who.role === 'admin' || a.approvers.includes(who.name);
}

/** Answers waiting approvals through Engine.signal, once each. */
export class ApprovalAnswers {
  /** Runs being answered in this process: a second, concurrent answer is a conflict, not a silent no-op. */
  private readonly answering = new Set<string>();

  constructor(
    private readonly app: App,
    private readonly now: () => number = Date.now,
  ) {}

  /** The approval the run waits for: 404 for an unknown run, 409 when it is not (or no longer) waiting. */
  async waiting(runId: string): Promise<WaitingApproval> {
    const found = await this.app.repos.approvals.find(runId);
    if (!found.found) throw new NotFoundError('approval', runId);
    if (!found.approval) throw new ConflictError(`node execution ${runId} is not waiting for an approval (it is ${found.status})`, { status: found.status });
    return found.approval;
  }

  /**
   * Who a signed link speaks for, as they are now: a link is the right of the user or API key it
   * was issued to, so it dies with them (deleted user, revoked key) and follows their role and the
   * approval's approvers (401 / 403 otherwise).
   */
  async linkHolder(claims: LinkClaims, approval: WaitingApproval): Promise<{ name: string; role: Role }> {
    const { kind, id } = claims.holder;
    const found = kind === 'session' ? await this.app.repos.users.get(id) : await this.app.repos.apiKeys.getLive(id);
    if (!found) throw new ItwError('unauthorized', `approval link was issued to ${claims.by}, who ${kind === 'session' ? 'no longer exists' : 'no longer has a live API key'}`);
    const who = { name: 'username' in found ? found.username : found.name, role: found.role };
    if (!mayAnswer(approval, who)) throw new ItwError('forbidden', `${who.name} may no longer answer this approval`);
    return who;
  }

  /**
   * Records the decision. With `who`, checks that they may answer (403 otherwise); without, the
   * caller has already established it (a signed link carries the right of the person it was issued to).
   */
  async answer(runId: string, decision: Decision, opts: { by: string; comment?: string | null | undefined; who?: { name: string; role: Role } }): Promise<{ approval: WaitingApproval; output: ApprovalOutput }> {
    const approval = await this.waiting(runId);
    if (opts.who && !mayAnswer(approval, opts.who)) {
      if (!roleAtLeast(opts.who.role, 'operator')) throw new ItwError('forbidden', `${opts.who.name} is a ${opts.who.role}: answering approvals takes an operator`);
      throw new ItwError('forbidden', `only ${approval.approvers.join(', ')} (or an admin) may answer this approval`);
    }
    if (this.answering.has(runId)) throw new ConflictError(`approval ${runId} is being answered`);
    this.answering.add(runId);
    try {
      const output: ApprovalOutput = { decision, by: opts.by, comment: opts.comment ?? null, decided_at: new Date(this.now()).toISOString() };
      await this.app.engine.signal(approval.execution_id, runId, decision, output);
      return { approval, output };
    } finally {
      this.answering.delete(runId);
    }
  }
}
