import type { Kysely, Migration } from 'kysely';

/**
 * Sub-workflows and retries (issue 15): an execution started by a `run_workflow` step records its
 * parent (execution, node and the waiting run it answers) and its nesting depth; a retry records the
 * execution it retries. Existing rows are top-level executions: parent columns NULL, depth 0.
 */
export function subWorkflowsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('executions')
        .addColumn('parent_execution_id', 'text')
        .execute();
      await db.schema.alterTable('executions').addColumn('parent_node_id', 'text').execute();
      await db.schema.alterTable('executions').addColumn('parent_run_id', 'text').execute();
      await db.schema.alterTable('executions').addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('executions').addColumn('retry_of', 'text').execute();
      // Children of a parent (cancel cascade, the execution view's links); retries of an execution.
      await db.schema.createIndex('executions_parent_idx').on('executions').column('parent_execution_id').execute();
      await db.schema.createIndex('executions_retry_of_idx').on('executions').column('retry_of').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('executions_retry_of_idx').execute();
      await db.schema.dropIndex('executions_parent_idx').execute();
      for (const c of ['retry_of', 'depth', 'parent_run_id', 'parent_node_id', 'parent_execution_id']) {
        await db.schema.alterTable('executions').dropColumn(c).execute();
      }
    },
  };
}
