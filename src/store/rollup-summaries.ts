import type { NodeRunRecord, Transition } from '../engine/store-port.js';
import { sketchIndex } from './dd-sketch.js';
import { BUCKET_MS, SKETCH_BUCKET_MS } from './execution-rollups.js';

/**
 * What the metrics rollups need of an execution, taken from the transition that both inserts and
 * finishes it (a webhook answered inline, any workflow that runs through in one commit): then every
 * run it has is in that transition, so the rollups are added up in memory when the commit is
 * journaled instead of reading the execution and its runs back at flush time (on PostgreSQL ~30 µs per execution). The numbers are
 * the ones the SQL rollups (execution-rollups.ts) compute from the stored rows: durations rounded as
 * stored, hour buckets of COALESCE(finished_at, created_at).
 */
export interface RollupSummary {
  readonly workflowId: string;
  readonly status: string;
  /** COALESCE(finished_at, created_at), as stored. */
  readonly at: number;
  readonly durationMs: number | null;
  /** Per run: node id, failed (0/1), duration as stored. */
  readonly runs: ReadonlyArray<readonly [nodeId: string, failed: 0 | 1, durationMs: number | null]>;
}

function stored(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v);
}

/**
 * The summary of an execution born and finished in `t`, or undefined (it then goes through the SQL
 * rollups by id). Retries are left to SQL: their kept runs must not be counted twice.
 */
export function summarize(t: Transition): RollupSummary | undefined {
  const x = t.insertExecution;
  if (x === undefined || x.retry_of !== null) return undefined;
  const e = t.updateExecution === undefined ? x : { ...x, ...t.updateExecution };
  let runs: readonly NodeRunRecord[] = t.insertRuns;
  if (t.updateRuns.length > 0) {
    const byId = new Map<string, NodeRunRecord>(t.insertRuns.map((r) => [r.id, r]));
    for (const u of t.updateRuns) {
      const r = byId.get(u.id);
      // A run written by an earlier commit: the transition does not hold every run.
      if (r === undefined) return undefined;
      byId.set(u.id, { ...r, ...u.set });
    }
    runs = [...byId.values()];
  }
  return {
    workflowId: e.workflow_id,
    status: e.status,
    at: stored(e.finished_at) ?? Math.round(e.created_at),
    durationMs: stored(e.duration_ms),
    runs: runs.map((r) => [r.node_id, r.status === 'failed' ? 1 : 0, stored(r.duration_ms)] as const),
  };
}

type Cell = string | number | null;

/** Rollup rows in the column order of summedRollupStatements (execution-rollups.ts), as journaled. */
export interface SummedRows {
  /** workflow_id, bucket_start, status, executions, duration_count, duration_sum, duration_min, duration_max */
  readonly e: Cell[][];
  /** workflow_id, bucket_start (day), idx, n */
  readonly s: Cell[][];
  /** workflow_id, node_id, bucket_start, runs, failures, duration_count, duration_sum */
  readonly n: Cell[][];
}

const bucketOf = (at: number, size: number): number => Math.floor(at / size) * size;
const num = (c: Cell | undefined): number => (typeof c === 'number' ? c : 0);
const minOf = (a: Cell | undefined, b: Cell | undefined): Cell => (a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : Math.min(num(a), num(b)));
const maxOf = (a: Cell | undefined, b: Cell | undefined): Cell => (a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : Math.max(num(a), num(b)));

/**
 * Rollup rows added up in memory, one per conflict key: a commit adds its executions' summaries (so
 * its journal row holds a few rows, not one per execution and run), a flush adds the journal rows.
 */
export class RollupTotals {
  private readonly e = new Map<string, Cell[]>();
  private readonly s = new Map<string, Cell[]>();
  private readonly n = new Map<string, Cell[]>();

  get empty(): boolean {
    return this.e.size === 0 && this.s.size === 0 && this.n.size === 0;
  }

  addSummary(x: RollupSummary): void {
    const bucket = bucketOf(x.at, BUCKET_MS);
    const d = x.durationMs;
    this.addExecutions([x.workflowId, bucket, x.status, 1, d === null ? 0 : 1, d ?? 0, d, d]);
    if (d !== null) this.addSketch([x.workflowId, bucketOf(x.at, SKETCH_BUCKET_MS), sketchIndex(d), 1]);
    for (const [nodeId, failed, nd] of x.runs) this.addNodes([x.workflowId, nodeId, bucket, 1, failed, nd === null ? 0 : 1, nd ?? 0]);
  }

  addRows(rows: SummedRows): void {
    for (const r of rows.e) this.addExecutions(r);
    for (const r of rows.s) this.addSketch(r);
    for (const r of rows.n) this.addNodes(r);
  }

  /** Each list sorted by its key, so concurrent flushes lock rows in one order. */
  rows(): SummedRows {
    const sorted = (m: Map<string, Cell[]>): Cell[][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    return { e: sorted(this.e), s: sorted(this.s), n: sorted(this.n) };
  }

  private addExecutions(r: Cell[]): void {
    addInto(this.e, r, [3, 4, 5], 6, 7);
  }

  private addSketch(r: Cell[]): void {
    addInto(this.s, r, [3]);
  }

  private addNodes(r: Cell[]): void {
    addInto(this.n, r, [3, 4, 5, 6]);
  }
}

/** Adds row `r` to the row of its key (its first three cells): the `sums` cells added, `min`/`max` kept. */
function addInto(m: Map<string, Cell[]>, r: Cell[], sums: readonly number[], min?: number, max?: number): void {
  const key = `${String(r[0])}\u0000${String(r[1])}\u0000${String(r[2])}`;
  const t = m.get(key);
  if (t === undefined) {
    m.set(key, [...r]);
    return;
  }
  for (const i of sums) t[i] = num(t[i]) + num(r[i]);
  if (min !== undefined) t[min] = minOf(t[min], r[min]);
  if (max !== undefined) t[max] = maxOf(t[max], r[max]);
}

/** Rows as one array per column (PostgreSQL's unnest parameters); `width` for an empty list. */
export function columnsOf(rows: readonly Cell[][], width: number): Cell[][] {
  return Array.from({ length: width }, (_, i) => rows.map((r) => r[i] ?? null));
}
