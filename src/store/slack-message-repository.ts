import { sql, type Kysely } from 'kysely';
import type { SlackApprovalMessagesTable } from './chatops-tables.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

export interface SlackApprovalMessage {
  readonly run_id: string;
  readonly execution_id: string;
  readonly channel: string;
  readonly ts: string | null;
  readonly outcome: string | null;
  readonly answered_by: string | null;
  /** The outcome the message shows; null while it shows its buttons. */
  readonly shown: string | null;
  readonly attempts: number;
  readonly retry_at: number | null;
  /** What the message shows: {run_id, message, plan, workflow}. */
  readonly approval: unknown;
}

const COLUMNS = ['run_id', 'execution_id', 'channel', 'ts', 'outcome', 'answered_by', 'shown', 'attempts', 'retry_at', 'approval'] as const;

type Row = Pick<SlackApprovalMessagesTable, (typeof COLUMNS)[number]>;

const toMessage = (row: Row): SlackApprovalMessage => ({
  ...row, attempts: Number(row.attempts), retry_at: row.retry_at === null ? null : Number(row.retry_at), approval: JSON.parse(row.approval) as unknown,
});

/**
 * The Slack message of each approval posted there (migrations 016, 020): claimed once, answered
 * once, and owing a Slack call (`retry_at`) from the claim until the message shows what it should.
 * Whoever makes a call first moves `retry_at` past the call's longest run (`leaseMs`), so a process
 * that dies mid-call leaves the row due again and any process of a cluster takes it over.
 */
export class SlackMessageRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** True for the one caller that may post the approval; false when it is posted (or being posted) already. */
  async claim(m: { run_id: string; execution_id: string; channel: string; approval: unknown }, leaseMs: number): Promise<boolean> {
    const at = this.now();
    try {
      await this.db.insertInto('slack_approval_messages')
        .values({
          run_id: m.run_id, execution_id: m.execution_id, channel: m.channel, approval: JSON.stringify(m.approval), ts: null, outcome: null,
          answered_by: null, shown: null, attempts: 0, retry_at: at + leaseMs, created_at: at, updated_at: at,
        })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Of these runs, the ones that have a message row (posted, being posted, or owed). */
  async claimed(runIds: readonly string[]): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('slack_approval_messages').select('run_id').where('run_id', 'in', runIds).execute();
    return new Set(rows.map((r) => r.run_id));
  }

  /**
   * The message chat.postMessage created (its channel id may differ from a #name it was posted to).
   * Nothing is owed after it unless an answer came meanwhile: then the rewrite stays owed.
   */
  async posted(runId: string, channel: string, ts: string): Promise<void> {
    await this.db.updateTable('slack_approval_messages')
      .set({ channel, ts, attempts: 0, retry_at: sql<number | null>`CASE WHEN outcome IS NULL THEN NULL ELSE retry_at END`, updated_at: this.now() })
      .where('run_id', '=', runId).execute();
  }

  async get(runId: string): Promise<SlackApprovalMessage | undefined> {
    const row = await this.db.selectFrom('slack_approval_messages').select(COLUMNS).where('run_id', '=', runId).executeTakeFirst();
    return row && toMessage(row);
  }

  /** Messages of an execution still showing their buttons (the execution ended without an answer). */
  async openOf(executionId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('slack_approval_messages').select('run_id').where('execution_id', '=', executionId).where('outcome', 'is', null).execute();
    return rows.map((r) => r.run_id);
  }

  /** Records the outcome once (a rewrite owed from now): true for the one caller that should rewrite the message. */
  async settle(runId: string, outcome: string, by: string | undefined, leaseMs: number): Promise<boolean> {
    const at = this.now();
    const r = await this.db.updateTable('slack_approval_messages').set({ outcome, answered_by: by ?? null, retry_at: at + leaseMs, updated_at: at })
      .where('run_id', '=', runId).where('outcome', 'is', null).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** The message shows `outcome` now: nothing owed. */
  async rewritten(runId: string, outcome: string): Promise<void> {
    await this.db.updateTable('slack_approval_messages').set({ shown: outcome, attempts: 0, retry_at: null, updated_at: this.now() })
      .where('run_id', '=', runId).where('outcome', '=', outcome).execute();
  }

  /** Nothing left to do for this message (answered before it was ever posted, say). */
  async settled(runId: string): Promise<void> {
    await this.db.updateTable('slack_approval_messages').set({ retry_at: null, updated_at: this.now() }).where('run_id', '=', runId).execute();
  }

  /** A Slack call failed: try again at `retryAt` (null: given up), one failure more. */
  async failed(runId: string, retryAt: number | null): Promise<void> {
    await this.db.updateTable('slack_approval_messages')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), retry_at: retryAt, updated_at: this.now() }))
      .where('run_id', '=', runId).execute();
  }

  /** Rows whose Slack call is due, the longest-waiting first. */
  async due(limit: number): Promise<SlackApprovalMessage[]> {
    const rows = await this.db.selectFrom('slack_approval_messages').select(COLUMNS)
      .where('retry_at', 'is not', null).where('retry_at', '<=', this.now()).orderBy('retry_at').limit(limit).execute();
    return rows.map(toMessage);
  }

  /** Takes a due row for one call: true for the one process whose update found it as it was read. */
  async take(m: SlackApprovalMessage, leaseMs: number): Promise<boolean> {
    if (m.retry_at === null) return false;
    const at = this.now();
    const r = await this.db.updateTable('slack_approval_messages').set({ retry_at: at + leaseMs, updated_at: at })
      .where('run_id', '=', m.run_id).where('retry_at', '=', m.retry_at).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }
}
