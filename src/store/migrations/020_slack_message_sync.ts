import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * What each approval's Slack message still owes (chatops/slack-approval-sync.ts). Migration 016 posted
 * an approval once, from the event of the process that committed it, and rewrote it once: a Slack
 * outage, or a crash between the commit and the post, left the approval waiting with no message in
 * Slack and no second try. Now a row says when its next Slack call is due (`retry_at`, null: nothing
 * owed), how often it failed (`attempts`, for the backoff), who answered (`answered_by`, so a retried
 * rewrite says the same) and which outcome the message shows (`shown`). Rows left by 016: posted and
 * answered ones are taken as rewritten; unposted, unanswered ones become due now.
 */
export function slackMessageSyncMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('slack_approval_messages').addColumn('answered_by', 'text').execute();
      await db.schema.alterTable('slack_approval_messages').addColumn('shown', 'text').execute();
      await db.schema.alterTable('slack_approval_messages').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('slack_approval_messages').addColumn('retry_at', 'bigint').execute();
      await sql`UPDATE slack_approval_messages SET shown = outcome WHERE ts IS NOT NULL AND outcome IS NOT NULL`.execute(db);
      await sql`UPDATE slack_approval_messages SET retry_at = created_at WHERE ts IS NULL AND outcome IS NULL`.execute(db);
      await db.schema.createIndex('slack_approval_messages_retry_idx').on('slack_approval_messages').column('retry_at')
        .where(sql.ref('retry_at'), 'is not', null).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('slack_approval_messages_retry_idx').execute();
      for (const column of ['retry_at', 'attempts', 'shown', 'answered_by']) {
        await db.schema.alterTable('slack_approval_messages').dropColumn(column).execute();
      }
    },
  };
}
