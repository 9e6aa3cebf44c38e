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
};

export type ChatOpsTables = {
  slack_approval_messages: SlackApprovalMessagesTable;
};
