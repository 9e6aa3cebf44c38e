import type { Logger } from '../model/logger.js';
import type { WaitingApproval } from '../store/approval-queries.js';
import type { SlackApprovalMessage, SlackMessageRepository } from '../store/slack-message-repository.js';
import { answeredMessage, pendingMessage, type ApprovalForSlack, type ApprovalOutcome } from './approval-message.js';
import type { SlackChatOps } from './slack-chatops.js';

/** A waiting approval that asks to be posted to a Slack channel. */
export interface SlackApprovalRequest {
  readonly runId: string;
  readonly executionId: string;
  readonly workflowId: string;
  readonly channel: string;
  readonly message: string;
  readonly plan: readonly string[];
}

export interface SlackApprovalSyncDeps {
  readonly slack: SlackChatOps;
  readonly messages: SlackMessageRepository;
  /** Approvals waiting now, with their `slack_channel` (approval-queries.ts). */
  readonly waitingApprovals: () => Promise<readonly WaitingApproval[]>;
  readonly workflowName: (workflowId: string) => Promise<string>;
  readonly logger: Logger;
  /** How often the sweep looks for owed Slack calls, and the first retry's delay. */
  readonly intervalMs: number;
  /** How long after a Slack call started its row counts as abandoned (a crash mid-call): longer than the call's timeout. */
  readonly leaseMs: number;
  readonly now?: () => number;
}

/** Failed calls in a row before a message is given up on (~1.5 h of backoff at the default interval). */
export const SLACK_MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 10 * 60_000;
const DUE_PER_SWEEP = 50;

/**
 * Keeps each approval's Slack message true to the approval, whatever fails on the way. Every Slack
 * call is owed by a row first (slack-message-repository.ts) and settled after it, so a call that
 * fails (Slack down, a rate limit, a bot not in the channel) is retried with backoff, and one a crash
 * cut short is taken over once its lease lapses — by any process. A sweep also posts approvals no
 * row was ever claimed for: the process that committed them died before its event got here.
 * Delivery is at least once: a crash after Slack accepted a post but before its `ts` was stored posts
 * it again (both messages' buttons answer the same approval; the later one is rewritten).
 */
export class SlackApprovalSync {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly lease: number;
  private readonly now: () => number;

  constructor(private readonly deps: SlackApprovalSyncDeps) {
    this.lease = deps.leaseMs;
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.deps.intervalMs);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** Posts the approval unless another caller claimed it first. */
  async post(r: SlackApprovalRequest): Promise<void> {
    const approval: ApprovalForSlack = { run_id: r.runId, message: r.message, plan: [...r.plan], workflow: await this.deps.workflowName(r.workflowId) };
    if (!(await this.deps.messages.claim({ run_id: r.runId, execution_id: r.executionId, channel: r.channel, approval }, this.lease))) return;
    const row = await this.deps.messages.get(r.runId);
    if (row) await this.call(row);
  }

  /** Records the outcome (first one wins) and rewrites the message with it. */
  async settle(runId: string, outcome: ApprovalOutcome, by: string | undefined): Promise<void> {
    if (!(await this.deps.messages.settle(runId, outcome, by, this.lease))) return;
    const row = await this.deps.messages.get(runId);
    // Not posted yet: the post under way rewrites it when it lands; a failed one has nothing to show.
    if (row?.ts) await this.call(row);
  }

  /** An execution ended (cancelled, failed) with approvals still showing their buttons. */
  async closeAll(executionId: string, status: 'cancelled' | 'failed'): Promise<void> {
    for (const runId of await this.deps.messages.openOf(executionId)) await this.settle(runId, status, undefined);
  }

  /** One pass: approvals never claimed, then rows whose call is due. Overlapping calls share one pass. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((err: unknown) => this.deps.logger.warn({ err, component: 'chatops' }, 'Slack approval sweep failed; next one retries'))
      .finally(() => { this.sweeping = undefined; });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const asking = (await this.deps.waitingApprovals()).filter((a): a is WaitingApproval & { slack_channel: string } => a.slack_channel !== undefined);
    const claimed = await this.deps.messages.claimed(asking.map((a) => a.run_id));
    for (const a of asking) {
      if (claimed.has(a.run_id)) continue;
      await this.post({ runId: a.run_id, executionId: a.execution_id, workflowId: a.workflow_id, channel: a.slack_channel, message: a.message, plan: a.plan });
    }
    for (const row of await this.deps.messages.due(DUE_PER_SWEEP)) {
      if (await this.deps.messages.take(row, this.lease)) await this.call(row);
    }
  }

  /** The call a row owes, made; a failure is recorded for a retry, never thrown. */
  private async call(row: SlackApprovalMessage): Promise<void> {
    try {
      if (row.ts === null && row.outcome === null) await this.postRow(row);
      else if (row.ts === null || row.outcome === null || row.shown === row.outcome) await this.deps.messages.settled(row.run_id);
      else await this.rewrite(row, row.ts, row.outcome);
    } catch (err) {
      await this.failed(row, err);
    }
  }

  private async postRow(row: SlackApprovalMessage): Promise<void> {
    const posted = await this.deps.slack.post(row.channel, pendingMessage(row.approval as ApprovalForSlack));
    await this.deps.messages.posted(row.run_id, posted.channel, posted.ts);
    this.deps.logger.info({ component: 'chatops', execution_id: row.execution_id, run_id: row.run_id, channel: posted.channel, attempt: row.attempts + 1 }, 'approval posted to Slack');
    // Answered while the post was on its way: the settle found no ts to update, so do it now.
    const now = await this.deps.messages.get(row.run_id);
    if (now?.ts && now.outcome) await this.call(now);
  }

  private async rewrite(row: SlackApprovalMessage, ts: string, outcome: string): Promise<void> {
    await this.deps.slack.update(row.channel, ts, answeredMessage(row.approval as ApprovalForSlack, outcome as ApprovalOutcome, row.answered_by ?? undefined));
    await this.deps.messages.rewritten(row.run_id, outcome);
  }

  private async failed(row: SlackApprovalMessage, err: unknown): Promise<void> {
    const attempt = row.attempts + 1;
    const giveUp = attempt >= SLACK_MAX_ATTEMPTS;
    const retryAt = giveUp ? null : this.now() + Math.min(MAX_BACKOFF_MS, this.deps.intervalMs * 2 ** (attempt - 1));
    const what = row.ts === null ? 'post' : 'rewrite';
    const fields = { err, component: 'chatops', execution_id: row.execution_id, run_id: row.run_id, channel: row.channel, attempt };
    if (giveUp) this.deps.logger.error(fields, `Slack approval ${what} failed ${attempt} times; given up (the approval still waits in the UI)`);
    else this.deps.logger.warn({ ...fields, retry_at: new Date(retryAt!).toISOString() }, `Slack approval ${what} failed; retrying`);
    await this.deps.messages.failed(row.run_id, retryAt).catch((e: unknown) => this.deps.logger.warn({ err: e, component: 'chatops' }, 'could not record the failed Slack call; the sweep retries it when its lease lapses'));
  }
}
