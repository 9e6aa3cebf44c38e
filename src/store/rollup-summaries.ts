import type { NodeRunRecord, Transition } from '../engine/store-port.js';
import { sketchIndex } from './dd-sketch.js';
import { BUCKET_MS, SKETCH_BUCKET_MS } from './execution-rollups.js';

/**
 * What the metrics rollups need of an execution, taken from the transition that both inserts and
 * finishes it (a webhook answered inline, any workflow that runs through in one commit): then every
 * run it has is in that transition, so the rollups can be added up in memory at flush time instead
 * of reading the execution and its runs back (on PostgreSQL ~30 µs per execution). The numbers are
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
  const e = { ...x, ...t.updateExecution };
  const runs = new Map<string, NodeRunRecord>(t.insertRuns.map((r) => [r.id, r]));
  for (const u of t.updateRuns) {
    const r = runs.get(u.id);
    // A run written by an earlier commit: the transition does not hold every run.
    if (r === undefined) return undefined;
    runs.set(u.id, { ...r, ...u.set });
  }
  return {
    workflowId: e.workflow_id,
    status: e.status,
    at: stored(e.finished_at) ?? Math.round(e.created_at),
    durationMs: stored(e.duration_ms),
    runs: [...runs.values()].map((r) => [r.node_id, r.status === 'failed' ? 1 : 0, stored(r.duration_ms)] as const),
  };
}

export interface ExecutionRollupRow {
  workflowId: string; bucket: number; status: string; executions: number; durationCount: number; durationSum: number; durationMin: number | null; durationMax: number | null;
}
export interface SketchRow { workflowId: string; bucket: number; idx: number; n: number }
export interface NodeRollupRow { workflowId: string; nodeId: string; bucket: number; runs: number; failures: number; durationCount: number; durationSum: number }

export interface AggregatedRollups {
  readonly executions: ExecutionRollupRow[];
  readonly sketches: SketchRow[];
  readonly nodes: NodeRollupRow[];
}

const bucketOf = (at: number, size: number): number => Math.floor(at / size) * size;

/** The summaries added up per rollup row, each list sorted by its key (so concurrent flushes lock rows in one order). */
export function aggregate(summaries: readonly RollupSummary[]): AggregatedRollups {
  const executions = new Map<string, ExecutionRollupRow>();
  const sketches = new Map<string, SketchRow>();
  const nodes = new Map<string, NodeRollupRow>();
  for (const s of summaries) {
    const bucket = bucketOf(s.at, BUCKET_MS);
    const ek = JSON.stringify([s.workflowId, bucket, s.status]);
    let er = executions.get(ek);
    if (er === undefined) {
      er = { workflowId: s.workflowId, bucket, status: s.status, executions: 0, durationCount: 0, durationSum: 0, durationMin: null, durationMax: null };
      executions.set(ek, er);
    }
    er.executions += 1;
    const d = s.durationMs;
    if (d !== null) {
      er.durationCount += 1;
      er.durationSum += d;
      er.durationMin = er.durationMin === null ? d : Math.min(er.durationMin, d);
      er.durationMax = er.durationMax === null ? d : Math.max(er.durationMax, d);
      const day = bucketOf(s.at, SKETCH_BUCKET_MS);
      const idx = sketchIndex(d);
      const sk = JSON.stringify([s.workflowId, day, idx]);
      const sr = sketches.get(sk);
      if (sr === undefined) sketches.set(sk, { workflowId: s.workflowId, bucket: day, idx, n: 1 });
      else sr.n += 1;
    }
    for (const [nodeId, failed, nd] of s.runs) {
      const nk = JSON.stringify([s.workflowId, nodeId, bucket]);
      let nr = nodes.get(nk);
      if (nr === undefined) {
        nr = { workflowId: s.workflowId, nodeId, bucket, runs: 0, failures: 0, durationCount: 0, durationSum: 0 };
        nodes.set(nk, nr);
      }
      nr.runs += 1;
      nr.failures += failed;
      if (nd !== null) {
        nr.durationCount += 1;
        nr.durationSum += nd;
      }
    }
  }
  const byKey = <T>(m: Map<string, T>): T[] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { executions: byKey(executions), sketches: byKey(sketches), nodes: byKey(nodes) };
}

type Cell = string | number | null;

/** The added-up rows in the column order of summedRollupStatements (execution-rollups.ts). */
export function summedRows(a: AggregatedRollups): { executions: Cell[][]; sketch: Cell[][]; nodes: Cell[][] } {
  return {
    executions: a.executions.map((r) => [r.workflowId, r.bucket, r.status, r.executions, r.durationCount, r.durationSum, r.durationMin, r.durationMax]),
    sketch: a.sketches.map((r) => [r.workflowId, r.bucket, r.idx, r.n]),
    nodes: a.nodes.map((r) => [r.workflowId, r.nodeId, r.bucket, r.runs, r.failures, r.durationCount, r.durationSum]),
  };
}

/** Rows as one array per column (PostgreSQL's unnest parameters); `width` for an empty list. */
export function columnsOf(rows: readonly Cell[][], width: number): Cell[][] {
  return Array.from({ length: width }, (_, i) => rows.map((r) => r[i] ?? null));
}
