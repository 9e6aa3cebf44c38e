import type { EngineEvent } from '../engine/engine-events.js';
import type { Logger } from '../model/logger.js';
import type { SlackMessageRepository } from '../store/slack-message-repository.js';
import { answeredMessage, pendingMessage, type ApprovalForSlack, type ApprovalOutcome } from './approval-message.js';
import type { SlackChatOps } from './slack-chatops.js';

export interface SlackApprovalListenerDeps {
  readonly slack: SlackChatOps;
  readonly messages: SlackMessageRepository;
  readonly workflowName: (workflowId: string) => Promise<string>;
  readonly logger: Logger;
}

const DECIDED = new Set(['approved', 'rejected', 'timeout']);
const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

/**
 * Mirrors approvals into Slack from the engine's committed events: an approval node that starts
 * waiting with a `slack_channel` is posted there with buttons (once: the message row is claimed
 * first, so every process of a cluster may hear the event), and when it is answered (in Slack, the
 * UI or by link), times out or its execution ends, the message is rewritten with the outcome, once.
 * Slack being down never touches the execution: failures are logged, the approval still waits.
 */
export class SlackApprovalListener {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: SlackApprovalListenerDeps) {}

  readonly onEvent = (event: EngineEvent): void => {
    const work = this.handle(event);
    if (work === undefined) return;
    const p = work.catch((err: unknown) => this.deps.logger.warn({ err, component: 'chatops' }, 'Slack approval message not posted or updated'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  };

  /** Resolves once the Slack calls started so far are done (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private handle(event: EngineEvent): Promise<void> | undefined {
    if (event.type === 'execution') {
      const status = event.execution.status;
      if (status === 'cancelled' || status === 'failed') return this.closeAll(event.execution.id, status);
      return undefined;
    }
    const run = event.run;
    const state = record(run.state);
    const waiting = record(state?.['waiting']);
    if (run.status === 'waiting' && state?.['wait'] === 'signal' && waiting?.['kind'] === 'approval' && typeof waiting['slack_channel'] === 'string') {
      return this.post(run.id, run.execution_id, event.workflow_id, waiting, waiting['slack_channel']);
    }
    const output = record(run.output);
    const decision = output?.['decision'];
    if (run.status === 'completed' && typeof decision === 'string' && DECIDED.has(decision)) {
      return this.settle(run.id, decision as ApprovalOutcome, typeof output?.['by'] === 'string' ? output['by'] : undefined);
    }
    return undefined;
  }

  private async post(runId: string, executionId: string, workflowId: string, waiting: Record<string, unknown>, channel: string): Promise<void> {
    const approval: ApprovalForSlack = {
      run_id: runId,
      message: typeof waiting['message'] === 'string' ? waiting['message'] : '',
      plan: Array.isArray(waiting['plan']) ? waiting['plan'].filter((x): x is string => typeof x === 'string') : [],
      workflow: await this.deps.workflowName(workflowId),
    };
    if (!(await this.deps.messages.claim({ run_id: runId, execution_id: executionId, channel, approval }))) return;
    const posted = await this.deps.slack.post(channel, pendingMessage(approval));
    await this.deps.messages.posted(runId, posted.channel, posted.ts);
    this.deps.logger.info({ component: 'chatops', execution_id: executionId, run_id: runId, channel: posted.channel }, 'approval posted to Slack');
    // Answered while the post was on its way: the settle found no ts to update, so do it now.
    const row = await this.deps.messages.get(runId);
    if (row?.outcome) await this.rewrite(runId, row.outcome as ApprovalOutcome, undefined);
  }

  private async settle(runId: string, outcome: ApprovalOutcome, by: string | undefined): Promise<void> {
    if (!(await this.deps.messages.settle(runId, outcome))) return;
    await this.rewrite(runId, outcome, by);
  }

  private async rewrite(runId: string, outcome: ApprovalOutcome, by: string | undefined): Promise<void> {
    const row = await this.deps.messages.get(runId);
    if (!row?.ts) return;
    await this.deps.slack.update(row.channel, row.ts, answeredMessage(row.approval as ApprovalForSlack, outcome, by));
  }

  private async closeAll(executionId: string, status: 'cancelled' | 'failed'): Promise<void> {
    for (const runId of await this.deps.messages.openOf(executionId)) await this.settle(runId, status, undefined);
  }
}
