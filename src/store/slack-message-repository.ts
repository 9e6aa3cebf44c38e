import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

export interface SlackApprovalMessage {
  readonly run_id: string;
  readonly channel: string;
  readonly ts: string | null;
  readonly outcome: string | null;
  /** What the message shows: {run_id, message, plan, workflow}. */
  readonly approval: unknown;
}

/** The Slack message of each approval posted there (migration 016): claimed once, answered once. */
export class SlackMessageRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** True for the one caller that may post the approval; false when it is posted (or being posted) already. */
  async claim(m: { run_id: string; execution_id: string; channel: string; approval: unknown }): Promise<boolean> {
    const at = this.now();
    try {
      await this.db.insertInto('slack_approval_messages')
        .values({ run_id: m.run_id, execution_id: m.execution_id, channel: m.channel, approval: JSON.stringify(m.approval), ts: null, outcome: null, created_at: at, updated_at: at })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** The message chat.postMessage created (its channel id may differ from a #name it was posted to). */
  async posted(runId: string, channel: string, ts: string): Promise<void> {
    await this.db.updateTable('slack_approval_messages').set({ channel, ts, updated_at: this.now() }).where('run_id', '=', runId).execute();
  }

  async get(runId: string): Promise<SlackApprovalMessage | undefined> {
    const row = await this.db.selectFrom('slack_approval_messages').select(['run_id', 'channel', 'ts', 'outcome', 'approval']).where('run_id', '=', runId).executeTakeFirst();
    return row && { ...row, approval: JSON.parse(row.approval) as unknown };
  }

  /** Messages of an execution still showing their buttons (the execution ended without an answer). */
  async openOf(executionId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('slack_approval_messages').select('run_id').where('execution_id', '=', executionId).where('outcome', 'is', null).execute();
    return rows.map((r) => r.run_id);
  }

  /** Records the outcome once: true for the one caller that should rewrite the message. */
  async settle(runId: string, outcome: string): Promise<boolean> {
    const r = await this.db.updateTable('slack_approval_messages').set({ outcome, updated_at: this.now() })
      .where('run_id', '=', runId).where('outcome', 'is', null).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
