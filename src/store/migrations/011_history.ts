import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { sketchIndex } from '../dd-sketch.js';
import { BUCKET_MS, SKETCH_BUCKET_MS } from '../execution-rollups.js';
import { EXECUTION_INPUT_REF } from '../payload-refs.js';

const FINAL = sql.raw(`('completed', 'failed', 'skipped', 'cancelled')`);
const FINAL_EXECUTION = sql.raw(`('completed', 'failed', 'cancelled')`);
const BUCKET = sql.raw(`(COALESCE(finished_at, created_at) / ${BUCKET_MS}) * ${BUCKET_MS}`);
const SKETCH_BUCKET = sql.raw(`(COALESCE(finished_at, created_at) / ${SKETCH_BUCKET_MS}) * ${SKETCH_BUCKET_MS}`);

/**
 * Issue 17, costs that do not grow with history:
 * - node_executions.input_ref / output_ref: payloads stored once (payload-refs.ts). Existing rows are
 *   rewritten: a copy of the execution's input_data becomes `@input`, a copy of an earlier finished
 *   run's output becomes that run's id.
 * - execution_rollups, duration_sketches, node_rollups: metrics without scans (execution-rollups.ts),
 *   filled here from the executions that finished before.
 * - list indexes that end in `id`, so a filtered page is a short index range in id order, not a sort;
 *   (created_at, id) for pages that end in the past (`until`).
 * - SQLite: auto_vacuum = INCREMENTAL, so retention gives freed pages back to the file system. A new
 *   database gets it before its first table (connect.ts); an existing one needs one VACUUM, done here
 *   once, after the rewrite above has freed the copies (the file shrinks to about a fifth).
 */
export function historyMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('node_executions').addColumn('input_ref', 'text').execute();
      await db.schema.alterTable('node_executions').addColumn('output_ref', 'text').execute();
      await rewriteCopies(db);
      await createRollups(db);
      await fillRollups(db);
      await db.schema.dropIndex('executions_workflow_created_idx').execute();
      await db.schema.dropIndex('executions_status_idx').execute();
      await db.schema.createIndex('executions_workflow_id_idx').on('executions').columns(['workflow_id', 'id']).execute();
      await db.schema.createIndex('executions_status_id_idx').on('executions').columns(['status', 'id']).execute();
      await db.schema.createIndex('executions_created_idx').on('executions').columns(['created_at', 'id']).execute();
      if (dialect === 'sqlite') await incrementalVacuum(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('executions_created_idx').execute();
      await db.schema.dropIndex('executions_status_id_idx').execute();
      await db.schema.dropIndex('executions_workflow_id_idx').execute();
      await db.schema.createIndex('executions_workflow_created_idx').on('executions').columns(['workflow_id', 'created_at']).execute();
      await db.schema.createIndex('executions_status_idx').on('executions').column('status').execute();
      for (const t of ['node_rollups', 'duration_sketches', 'execution_rollups']) await db.schema.dropTable(t).execute();
      // Copies come back before the reference columns go.
      for (const [col, ref] of [['output', 'output_ref'], ['input', 'input_ref']] as const) {
        await sql`UPDATE node_executions SET ${sql.ref(col)} = (SELECT e.input_data FROM executions e WHERE e.id = node_executions.execution_id) WHERE ${sql.ref(ref)} = ${EXECUTION_INPUT_REF}`.execute(db);
      }
      for (;;) {
        const r = await sql`UPDATE node_executions SET input = (SELECT p.output FROM node_executions p WHERE p.id = node_executions.input_ref), input_ref = (SELECT p.output_ref FROM node_executions p WHERE p.id = node_executions.input_ref)
          WHERE input_ref IS NOT NULL AND input_ref <> ${EXECUTION_INPUT_REF}`.execute(db);
        const o = await sql`UPDATE node_executions SET output = (SELECT p.output FROM node_executions p WHERE p.id = node_executions.output_ref), output_ref = (SELECT p.output_ref FROM node_executions p WHERE p.id = node_executions.output_ref)
          WHERE output_ref IS NOT NULL AND output_ref <> ${EXECUTION_INPUT_REF}`.execute(db);
        if (Number(r.numAffectedRows ?? 0) + Number(o.numAffectedRows ?? 0) === 0) break;
      }
      await db.schema.alterTable('node_executions').dropColumn('output_ref').execute();
      await db.schema.alterTable('node_executions').dropColumn('input_ref').execute();
    },
  };
}

async function rewriteCopies(db: Kysely<unknown>): Promise<void> {
  // The execution's input first: a trigger's input and output, and what its successors got from it.
  for (const [col, ref] of [['input', 'input_ref'], ['output', 'output_ref']] as const) {
    await sql`UPDATE node_executions SET ${sql.ref(ref)} = ${EXECUTION_INPUT_REF}, ${sql.ref(col)} = NULL
      WHERE ${sql.ref(col)} IS NOT NULL AND ${sql.ref(col)} = (SELECT e.input_data FROM executions e WHERE e.id = node_executions.execution_id)`.execute(db);
  }
  // Then copies of an earlier finished run's output (a finished run's output never changes again).
  for (const [col, ref] of [['input', 'input_ref'], ['output', 'output_ref']] as const) {
    const earlier = sql`SELECT p.id FROM node_executions p WHERE p.execution_id = node_executions.execution_id AND p.id < node_executions.id
      AND p.status IN ${FINAL} AND p.output = node_executions.${sql.ref(col)} ORDER BY p.id DESC LIMIT 1`;
    await sql`UPDATE node_executions SET ${sql.ref(ref)} = (${earlier}), ${sql.ref(col)} = NULL
      WHERE ${sql.ref(ref)} IS NULL AND ${sql.ref(col)} IS NOT NULL AND EXISTS (${earlier})`.execute(db);
  }
}

async function createRollups(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('execution_rollups')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('executions', 'bigint', (c) => c.notNull())
    .addColumn('duration_count', 'bigint', (c) => c.notNull())
    .addColumn('duration_sum', 'bigint', (c) => c.notNull())
    .addColumn('duration_min', 'bigint')
    .addColumn('duration_max', 'bigint')
    .addPrimaryKeyConstraint('execution_rollups_pkey', ['workflow_id', 'bucket_start', 'status'])
    .execute();
  await db.schema
    .createTable('duration_sketches')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('duration_sketches_pkey', ['workflow_id', 'bucket_start', 'idx'])
    .execute();
  await db.schema
    .createTable('node_rollups')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    .addColumn('runs', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'bigint', (c) => c.notNull())
    .addColumn('duration_count', 'bigint', (c) => c.notNull())
    .addColumn('duration_sum', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('node_rollups_pkey', ['workflow_id', 'node_id', 'bucket_start'])
    .execute();
}

async function fillRollups(db: Kysely<unknown>): Promise<void> {
  await sql`INSERT INTO execution_rollups (workflow_id, bucket_start, status, executions, duration_count, duration_sum, duration_min, duration_max)
    SELECT workflow_id, ${BUCKET}, status, COUNT(*), COUNT(duration_ms), COALESCE(SUM(duration_ms), 0), MIN(duration_ms), MAX(duration_ms)
    FROM executions WHERE status IN ${FINAL_EXECUTION} GROUP BY workflow_id, ${BUCKET}, status`.execute(db);
  await sql`INSERT INTO node_rollups (workflow_id, node_id, bucket_start, runs, failures, duration_count, duration_sum)
    SELECT e.workflow_id, n.node_id, (COALESCE(e.finished_at, e.created_at) / ${sql.raw(String(BUCKET_MS))}) * ${sql.raw(String(BUCKET_MS))},
      COUNT(*), SUM(CASE WHEN n.status = 'failed' THEN 1 ELSE 0 END), COUNT(n.duration_ms), COALESCE(SUM(n.duration_ms), 0)
    FROM executions e JOIN node_executions n ON n.execution_id = e.id WHERE e.status IN ${FINAL_EXECUTION}
    GROUP BY e.workflow_id, n.node_id, (COALESCE(e.finished_at, e.created_at) / ${sql.raw(String(BUCKET_MS))}) * ${sql.raw(String(BUCKET_MS))}`.execute(db);
  // Sketch buckets are computed here (no portable logarithm in SQL): one row per distinct duration.
  const rows = await sql<{ workflow_id: string; bucket_start: number | string; duration_ms: number | string; n: number | string }>`
    SELECT workflow_id, ${SKETCH_BUCKET} AS bucket_start, duration_ms, COUNT(*) AS n FROM executions
    WHERE status IN ${FINAL_EXECUTION} AND duration_ms IS NOT NULL GROUP BY workflow_id, ${SKETCH_BUCKET}, duration_ms`.execute(db);
  const sketch = new Map<string, { workflow_id: string; bucket_start: number; idx: number; n: number }>();
  for (const r of rows.rows) {
    const idx = sketchIndex(Number(r.duration_ms));
    const key = `${r.workflow_id}\u0000${r.bucket_start}\u0000${idx}`;
    const row = sketch.get(key) ?? { workflow_id: r.workflow_id, bucket_start: Number(r.bucket_start), idx, n: 0 };
    row.n += Number(r.n);
    sketch.set(key, row);
  }
  const all = [...sketch.values()];
  for (let i = 0; i < all.length; i += 500) {
    await (db as Kysely<{ duration_sketches: { workflow_id: string; bucket_start: number; idx: number; n: number } }>)
      .insertInto('duration_sketches').values(all.slice(i, i + 500)).execute();
  }
}

async function incrementalVacuum(db: Kysely<unknown>): Promise<void> {
  const mode = await sql<{ auto_vacuum: number }>`PRAGMA auto_vacuum`.execute(db);
  if (Number(mode.rows[0]?.auto_vacuum) === 2) return;
  await sql`PRAGMA auto_vacuum = INCREMENTAL`.execute(db);
  await sql`VACUUM`.execute(db);
}
