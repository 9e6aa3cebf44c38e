import type { NodeRun, NodeRunStatus } from '../api/types';

/** Which status wins when a node ran several times (loop iterations, retries): what is still going on first. */
const PRIORITY: Readonly<Record<NodeRunStatus, number>> = { running: 6, waiting: 5, failed: 4, pending: 3, completed: 2, cancelled: 1, skipped: 0 };

/** Every attempt seen so far, keyed by run id: SSE `node` events replace the attempt they describe. */
export function mergeRuns(runs: ReadonlyMap<string, NodeRun>, update: NodeRun): Map<string, NodeRun> {
  const next = new Map(runs);
  next.set(update.id, update);
  return next;
}

/**
 * One status per node for the canvas: the latest attempt of each scope, then the most "alive" of
 * those across scopes (a loop body node is running while any iteration runs).
 */
export function nodeStatuses(runs: Iterable<NodeRun>): Map<string, NodeRunStatus> {
  const latest = new Map<string, NodeRun>();
  for (const r of runs) {
    const key = `${r.node_id}\u0000${r.scope}`;
    const prev = latest.get(key);
    if (!prev || r.attempt > prev.attempt || (r.attempt === prev.attempt && r.id > prev.id)) latest.set(key, r);
  }
  const out = new Map<string, NodeRunStatus>();
  for (const r of latest.values()) {
    const prev = out.get(r.node_id);
    if (!prev || PRIORITY[r.status] > PRIORITY[prev]) out.set(r.node_id, r.status);
  }
  return out;
}

/** The attempts of one node, oldest first (what the run panel lists). */
export function runsOf(runs: Iterable<NodeRun>, nodeId: string): NodeRun[] {
  return [...runs].filter((r) => r.node_id === nodeId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
