import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Rollup rows get a `shard` key column (issue 14). Every commit that finishes executions adds to
 * the row of their workflow, hour and status; on PostgreSQL, commits in flight together (commit
 * lanes) then queued on that one row's lock until the commit holding it had flushed its WAL: 8.5 ms
 * per rollup statement, and no gain from the lanes. Each lane (and each process of a cluster) now
 * adds to its own shard of the row; reads already sum over rows. Existing rows become shard 0.
 * The tables are rebuilt (SQLite cannot change a primary key in place), on both dialects alike.
 */
export function rollupShardsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const t of TABLES) await rebuild(db, t, true);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of TABLES) await rebuild(db, t, false);
    },
  };
}

interface RollupTable {
  readonly name: string;
  readonly key: readonly string[];
  readonly sums: readonly string[];
  /** Columns merged with MIN / MAX when shards fold back into one row (down). */
  readonly min?: string;
  readonly max?: string;
  columns(t: CreateTableBuilder<string, string>): CreateTableBuilder<string, string>;
}

const TABLES: readonly RollupTable[] = [
  {
    name: 'execution_rollups', key: ['workflow_id', 'bucket_start', 'status'], sums: ['executions', 'duration_count', 'duration_sum'], min: 'duration_min', max: 'duration_max',
    columns: (t) => t.addColumn('workflow_id', 'text', (c) => c.notNull()).addColumn('bucket_start', 'bigint', (c) => c.notNull()).addColumn('status', 'text', (c) => c.notNull())
      .addColumn('executions', 'bigint', (c) => c.notNull()).addColumn('duration_count', 'bigint', (c) => c.notNull()).addColumn('duration_sum', 'bigint', (c) => c.notNull())
      .addColumn('duration_min', 'bigint').addColumn('duration_max', 'bigint'),
  },
  {
    name: 'duration_sketches', key: ['workflow_id', 'bucket_start', 'idx'], sums: ['n'],
    columns: (t) => t.addColumn('workflow_id', 'text', (c) => c.notNull()).addColumn('bucket_start', 'bigint', (c) => c.notNull()).addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('n', 'bigint', (c) => c.notNull()),
  },
  {
    name: 'node_rollups', key: ['workflow_id', 'node_id', 'bucket_start'], sums: ['runs', 'failures', 'duration_count', 'duration_sum'],
    columns: (t) => t.addColumn('workflow_id', 'text', (c) => c.notNull()).addColumn('node_id', 'text', (c) => c.notNull()).addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('runs', 'bigint', (c) => c.notNull()).addColumn('failures', 'bigint', (c) => c.notNull()).addColumn('duration_count', 'bigint', (c) => c.notNull())
      .addColumn('duration_sum', 'bigint', (c) => c.notNull()),
  },
];

/** Copies `t` into a new table with (sharded) or without the shard column, then puts it in place. */
async function rebuild(db: Kysely<unknown>, t: RollupTable, sharded: boolean): Promise<void> {
  const next = `${t.name}_next`;
  let create = t.columns(db.schema.createTable(next));
  if (sharded) create = create.addColumn('shard', 'integer', (c) => c.notNull().defaultTo(0));
  await create.addPrimaryKeyConstraint(`${t.name}_${sharded ? 'shard_pk' : 'pkey'}`, sharded ? [...t.key, 'shard'] : [...t.key]).execute();
  const key = t.key.join(', ');
  const merged = [key, ...t.sums.map((c) => `SUM(${c})`), ...(t.min ? [`MIN(${t.min})`] : []), ...(t.max ? [`MAX(${t.max})`] : [])].join(', ');
  const columns = [key, ...t.sums, ...(t.min ? [t.min] : []), ...(t.max ? [t.max] : [])].join(', ');
  // Up: every row is shard 0 as it is. Down: the shards of a row fold back into one.
  await sql.raw(sharded
    ? `INSERT INTO ${next} (${columns}, shard) SELECT ${columns}, 0 FROM ${t.name}`
    : `INSERT INTO ${next} (${columns}) SELECT ${merged} FROM ${t.name} GROUP BY ${key}`).execute(db);
  await db.schema.dropTable(t.name).execute();
  await db.schema.alterTable(next).renameTo(t.name).execute();
}
