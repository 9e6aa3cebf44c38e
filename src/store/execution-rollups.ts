import type { Transition } from '../engine/store-port.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';
import { sketchIndex } from './dd-sketch.js';

/**
 * Metrics rollups (issue 17): per workflow and hour, counts and duration sums per final status, a
 * DDSketch of execution durations per day (dd-sketch.ts), and per node the runs, failures and duration sums.
 * The transaction that records an execution's final status journals it (deferred-effects.ts), so
 * the rollups are exactly as durable as that status: a kill -9 loses both or neither, and nothing has
 * to be rebuilt on start (a rebuild would be a scan of the whole history, the cost this removes); the
 * flusher adds many executions at once. Rows are added to with upserts, so concurrent flushes
 * (cluster mode) add up instead of overwriting.
 * Rollups outlive retention: metrics count every execution that finished, pruned or not.
 */

export const BUCKET_MS = 3_600_000;
/**
 * Sketches are kept per day, not per hour: a day of one workflow is ~40 rows (the distinct
 * 1%-buckets its durations fall in), so a month is ~1,200 rows to merge per metrics read.
 */
export const SKETCH_BUCKET_MS = 86_400_000;

export interface FinishedExecution {
  readonly executionId: string;
  /** Sketch bucket of the execution's duration; null when it has none. */
  readonly sketchIndex: number | null;
}

/** The execution this transition moves to a final status, if any (a final status is never left). */
export function finishedBy(t: Transition): FinishedExecution | undefined {
  const status = t.updateExecution?.status ?? t.insertExecution?.status;
  if (status === undefined || !isFinalExecutionStatus(status)) return undefined;
  const ms = t.updateExecution?.duration_ms ?? t.insertExecution?.duration_ms ?? null;
  return { executionId: t.executionId, sketchIndex: ms === null ? null : sketchIndex(Math.round(ms)) };
}

const BUCKET = `(COALESCE(e.finished_at, e.created_at) / ${BUCKET_MS}) * ${BUCKET_MS}`;
const SKETCH_BUCKET = `(COALESCE(e.finished_at, e.created_at) / ${SKETCH_BUCKET_MS}) * ${SKETCH_BUCKET_MS}`;

/** How a dialect names the batch's executions, their runs, and their sketch buckets in SQL. */
export interface RollupSources {
  /** Selects the batch's executions as `e`. */
  readonly idMatch: string;
  /** Joins the runs of `e` as `n`. */
  readonly runsJoin: string;
  /** FROM clause giving the batch's executions as `e` and their sketch buckets as `s.idx`. */
  readonly sketchFrom: string;
}

/**
 * PostgreSQL: the runs and executions are reached per batch row through LATERAL subqueries (OFFSET 0
 * keeps the planner from flattening them back into joins), so the plan walks the indexes whatever
 * the statistics say. Written as plain joins, a database that had not
 * been analyzed yet (a fresh install, the first minute of load) got a hash join over every stored
 * run for each commit, and kept that plan for the statement's life on its pooled connection.
 */
export const POSTGRES_ROLLUP_SOURCES: RollupSources = {
  idMatch: 'e.id = ANY($1::text[])',
  runsJoin: 'CROSS JOIN LATERAL (SELECT r.node_id, r.status, r.duration_ms, r.state FROM node_executions r WHERE r.execution_id = e.id OFFSET 0) n',
  // The same ids as `idMatch`, each with its sketch bucket or NULL (no duration): one pair of arrays.
  sketchFrom: 'unnest($1::text[], $2::int4[]) AS s(id, idx) CROSS JOIN LATERAL ' +
    '(SELECT x.workflow_id, x.finished_at, x.created_at, x.duration_ms FROM executions x WHERE x.id = s.id AND s.idx IS NOT NULL OFFSET 0) e',
};

/**
 * The three upserts, for the executions `idMatch` selects (`e.id = ?` on SQLite, one row at a time;
 * `= ANY($1)` on PostgreSQL, a whole batch). Each SELECT groups by the conflict key: PostgreSQL
 * refuses an INSERT that would update one row twice. `shard` picks the copy of each row this commit
 * adds to (migration 018: one per PostgreSQL commit lane and process, so commits in flight together
 * do not queue on one row's lock; SQLite has one). The SELECTs are ordered by the key as well, so two
 * commits that do share rows lock them in one order, never a deadlock.
 */
export function rollupStatements(d: RollupSources, shard = 0): RollupStatements {
  const { idMatch, runsJoin, sketchFrom } = d;
  const s = String(Math.trunc(shard));
  return {
    executions:
      `${INTO.executions}SELECT e.workflow_id, ${BUCKET}, e.status, ${s}, COUNT(*), COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), MIN(e.duration_ms), MAX(e.duration_ms) ` +
      `FROM executions e WHERE ${idMatch} GROUP BY e.workflow_id, ${BUCKET}, e.status ORDER BY 1, 2, 3 ${ADD.executions}`,
    sketch:
      `${INTO.sketch}SELECT e.workflow_id, ${SKETCH_BUCKET}, s.idx, ${s}, COUNT(*) FROM ${sketchFrom} WHERE e.duration_ms IS NOT NULL ` +
      `GROUP BY e.workflow_id, ${SKETCH_BUCKET}, s.idx ORDER BY 1, 2, 3 ${ADD.sketch}`,
    nodes:
      `${INTO.nodes}SELECT e.workflow_id, n.node_id, ${BUCKET}, ${s}, COUNT(*), SUM(CASE WHEN n.status = 'failed' THEN 1 ELSE 0 END), COUNT(n.duration_ms), COALESCE(SUM(n.duration_ms), 0) ` +
      // A retry's kept runs (state `reused_from`) were counted with the execution they come from.
      `FROM executions e ${runsJoin} WHERE ${idMatch} ` +
      `AND (e.retry_of IS NULL OR n.state IS NULL OR CAST(n.state AS text) NOT LIKE '%"reused_from"%') GROUP BY e.workflow_id, n.node_id, ${BUCKET} ORDER BY 1, 2, 3 ${ADD.nodes}`,
  };
}

export interface RollupStatements {
  readonly executions: string;
  readonly sketch: string;
  readonly nodes: string;
}

/**
 * The same three upserts for rows already added up in memory (rollup-summaries.ts), one row per
 * conflict key. SQLite: each statement takes one JSON array of row arrays. PostgreSQL: one array per
 * column, $1.. in the column order of each INSERT after `shard`.
 */
export function summedRollupStatements(dialect: 'sqlite' | 'postgres', shard = 0): RollupStatements {
  const s = String(Math.trunc(shard));
  const source = (types: readonly string[], first: number): string => {
    const cols = types.map((_, i) => `c${i}`);
    if (dialect === 'sqlite') {
      return `SELECT ${types.map((_, i) => (i === 3 ? `${s}, ` : '') + `json_extract(value, '$[${i}]')`).join(', ')} FROM json_each(?) WHERE true`;
    }
    const arrays = types.map((t, i) => `$${first + i}::${t}[]`).join(', ');
    return `SELECT ${cols.map((c, i) => (i === 3 ? `${s}, ` : '') + c).join(', ')} FROM unnest(${arrays}) AS v(${cols.join(', ')})`;
  };
  return {
    executions: `${INTO.executions}${source(['text', 'int8', 'text', 'int8', 'int8', 'int8', 'int8', 'int8'], 1)} ${ADD.executions}`,
    sketch: `${INTO.sketch}${source(['text', 'int8', 'int4', 'int8'], 9)} ${ADD.sketch}`,
    nodes: `${INTO.nodes}${source(['text', 'text', 'int8', 'int8', 'int8', 'int8', 'int8'], 13)} ${ADD.nodes}`,
  };
}

const INTO = {
  executions: 'INSERT INTO execution_rollups (workflow_id, bucket_start, status, shard, executions, duration_count, duration_sum, duration_min, duration_max) ',
  sketch: 'INSERT INTO duration_sketches (workflow_id, bucket_start, idx, shard, n) ',
  nodes: 'INSERT INTO node_rollups (workflow_id, node_id, bucket_start, shard, runs, failures, duration_count, duration_sum) ',
};

const ADD = {
  executions:
    'ON CONFLICT (workflow_id, bucket_start, status, shard) DO UPDATE SET executions = execution_rollups.executions + excluded.executions, ' +
    'duration_count = execution_rollups.duration_count + excluded.duration_count, duration_sum = execution_rollups.duration_sum + excluded.duration_sum, ' +
    'duration_min = CASE WHEN execution_rollups.duration_min IS NULL OR excluded.duration_min < execution_rollups.duration_min THEN excluded.duration_min ELSE execution_rollups.duration_min END, ' +
    'duration_max = CASE WHEN execution_rollups.duration_max IS NULL OR excluded.duration_max > execution_rollups.duration_max THEN excluded.duration_max ELSE execution_rollups.duration_max END',
  sketch: 'ON CONFLICT (workflow_id, bucket_start, idx, shard) DO UPDATE SET n = duration_sketches.n + excluded.n',
  nodes:
    'ON CONFLICT (workflow_id, node_id, bucket_start, shard) DO UPDATE SET runs = node_rollups.runs + excluded.runs, failures = node_rollups.failures + excluded.failures, ' +
    'duration_count = node_rollups.duration_count + excluded.duration_count, duration_sum = node_rollups.duration_sum + excluded.duration_sum',
};
