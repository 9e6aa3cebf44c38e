/**
 * Rows of migration 016 (ChatOps in Slack); part of the one `Database` type (schema.ts). Type
 * aliases, not interfaces: Kysely's table maps need an implicit index signature.
 */

/** The Slack message an approval was posted as; epoch ms as numbers. */
export type SlackApprovalMessagesTable = {
  run_id: string;
  execution_id: string;
  channel: string;
  /** JSON text: {run_id, message, plan, workflow}. */
  approval: string;
  /** null until chat.postMessage answered. */
  ts: string | null;
  /** null while the approval waits; then approved | rejected | timeout | cancelled. */
  outcome: string | null;
  created_at: number;
  updated_at: number;
  /** Username of who answered (migration 020), for a retried rewrite; null for timeouts and ends. */
  answered_by: string | null;
  /** The outcome the Slack message shows; null: it still shows its buttons. */
  shown: string | null;
  /** Slack calls for this row that failed in a row (the backoff). */
  attempts: number;
  /** When a Slack call this row owes (post or rewrite) is due; null: nothing owed. */
  retry_at: number | null;
};

export type ChatOpsTables = {
  slack_approval_messages: SlackApprovalMessagesTable;
};
