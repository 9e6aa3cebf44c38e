import type { Transition } from '../engine/store-port.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';
import { sketchIndex } from './dd-sketch.js';

/**
 * Metrics rollups (issue 17): per workflow and hour, counts and duration sums per final status, a
 * DDSketch of execution durations per day (dd-sketch.ts), and per node the runs, failures and duration sums.
 * They are written by the same database transaction that records an execution's final status, so
 * they are exactly as durable as that status: a kill -9 loses both or neither, and nothing has to be
 * rebuilt on start (a rebuild would be a scan of the whole history, the cost this removes). Rows are
 * added to with upserts, so concurrent commits (cluster mode) add up instead of overwriting.
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

/**
 * The three upserts, for the executions `idMatch` selects (`e.id = ?` on SQLite, one row at a time;
 * `= ANY($1)` on PostgreSQL, a whole batch). Each SELECT groups by the conflict key: PostgreSQL
 * refuses an INSERT that would update one row twice.
 */
export function rollupStatements(idMatch: string, sketchSource: string): { executions: string; sketch: string; nodes: string } {
  return {
    executions:
      'INSERT INTO execution_rollups (workflow_id, bucket_start, status, executions, duration_count, duration_sum, duration_min, duration_max) ' +
      `SELECT e.workflow_id, ${BUCKET}, e.status, COUNT(*), COUNT(e.duration_ms), COALESCE(SUM(e.duration_ms), 0), MIN(e.duration_ms), MAX(e.duration_ms) ` +
      `FROM executions e WHERE ${idMatch} GROUP BY e.workflow_id, ${BUCKET}, e.status ` +
      'ON CONFLICT (workflow_id, bucket_start, status) DO UPDATE SET executions = execution_rollups.executions + excluded.executions, ' +
      'duration_count = execution_rollups.duration_count + excluded.duration_count, duration_sum = execution_rollups.duration_sum + excluded.duration_sum, ' +
      'duration_min = CASE WHEN execution_rollups.duration_min IS NULL OR excluded.duration_min < execution_rollups.duration_min THEN excluded.duration_min ELSE execution_rollups.duration_min END, ' +
      'duration_max = CASE WHEN execution_rollups.duration_max IS NULL OR excluded.duration_max > execution_rollups.duration_max THEN excluded.duration_max ELSE execution_rollups.duration_max END',
    sketch:
      'INSERT INTO duration_sketches (workflow_id, bucket_start, idx, n) ' +
      `SELECT e.workflow_id, ${SKETCH_BUCKET}, s.idx, COUNT(*) FROM executions e JOIN ${sketchSource} ON s.id = e.id WHERE e.duration_ms IS NOT NULL ` +
      `GROUP BY e.workflow_id, ${SKETCH_BUCKET}, s.idx ` +
      'ON CONFLICT (workflow_id, bucket_start, idx) DO UPDATE SET n = duration_sketches.n + excluded.n',
    nodes:
      'INSERT INTO node_rollups (workflow_id, node_id, bucket_start, runs, failures, duration_count, duration_sum) ' +
      `SELECT e.workflow_id, n.node_id, ${BUCKET}, COUNT(*), SUM(CASE WHEN n.status = 'failed' THEN 1 ELSE 0 END), COUNT(n.duration_ms), COALESCE(SUM(n.duration_ms), 0) ` +
      // A retry's kept runs (state `reused_from`) were counted with the execution they come from.
      `FROM executions e JOIN node_executions n ON n.execution_id = e.id WHERE ${idMatch} ` +
      `AND (e.retry_of IS NULL OR n.state IS NULL OR CAST(n.state AS text) NOT LIKE '%"reused_from"%') GROUP BY e.workflow_id, n.node_id, ${BUCKET} ` +
      'ON CONFLICT (workflow_id, node_id, bucket_start) DO UPDATE SET runs = node_rollups.runs + excluded.runs, failures = node_rollups.failures + excluded.failures, ' +
      'duration_count = node_rollups.duration_count + excluded.duration_count, duration_sum = node_rollups.duration_sum + excluded.duration_sum',
  };
}
