import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * ChatOps in Slack (issue 16): which Slack user a person is (`users.slack_user_id`, unique: one
 * Slack user answers as one person), and the Slack message each approval was posted as, so its
 * outcome can be written back into it (chat.update) whoever answered first. Row type:
 * store/chatops-tables.ts.
 */
export function chatopsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('slack_user_id', 'text').execute();
      await db.schema.createIndex('users_slack_user_id_idx').unique().on('users').column('slack_user_id').execute();
      await db.schema
        .createTable('slack_approval_messages')
        // The approval's node execution: one message per approval, the primary key claims it.
        .addColumn('run_id', 'text', (c) => c.primaryKey())
        .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        // What the message shows (message, plan, workflow name) as JSON text, to rewrite it once answered.
        .addColumn('approval', 'text', (c) => c.notNull())
        // null until chat.postMessage answered.
        .addColumn('ts', 'text')
        // null while the approval waits; then approved | rejected | timeout | cancelled.
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('slack_approval_messages_execution_idx').on('slack_approval_messages').column('execution_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('slack_approval_messages').execute();
      await db.schema.dropIndex('users_slack_user_id_idx').execute();
      await db.schema.alterTable('users').dropColumn('slack_user_id').execute();
    },
  };
}
