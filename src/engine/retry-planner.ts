import { ItwError } from '../model/errors.js';
import type { RetryPlan } from './engine-options.js';
import type { CompiledGraph } from './compiled-graph.js';
import { ROOT_SCOPE } from './scope.js';
import type { NodeRunRecord } from './store-port.js';

/** Where a retry restarts: every node that failed, or one node the operator picked. */
export type RetryFrom = 'failed' | { readonly node: string };

function invalidFrom(message: string): ItwError {
  return new ItwError('validation', message, { details: { errors: [{ in: 'body', path: '/from', message }] } });
}

/** The latest attempt of each node in each scope (an attempt that failed and was retried is not a failure). */
function latestAttempts(runs: readonly NodeRunRecord[]): NodeRunRecord[] {
  const latest = new Map<string, NodeRunRecord>();
  for (const r of runs) {
    const key = `${r.scope}\u0000${r.node_id}`;
    const seen = latest.get(key);
    if (!seen || r.attempt > seen.attempt) latest.set(key, r);
  }
  return [...latest.values()];
}

/** A finished run whose result the retry may keep: completed, skipped, or a failure an error edge caught. */
function keepable(r: NodeRunRecord | undefined): r is NodeRunRecord {
  if (!r) return false;
  if (r.status === 'completed' || r.status === 'skipped') return true;
  return r.status === 'failed' && (r.fired_edges?.length ?? 0) > 0;
}

/**
 * Which runs of `original` a retry keeps and which nodes run again, on `graph` (the same version or
 * the active one). The restart points and everything downstream of them run again, as does every node
 * whose run cannot be kept (cancelled, never reached) and its descendants; error-path nodes and loop
 * bodies follow the graph as in any execution. A node inside a loop restarts its outermost loop.
 */
export function planRetry(graph: CompiledGraph, originalId: string, runs: readonly NodeRunRecord[], from: RetryFrom): RetryPlan {
  const attempts = latestAttempts(runs);
  const latest = new Map(attempts.filter((r) => r.scope === ROOT_SCOPE).map((r) => [r.node_id, r]));
  const topLevel = (id: string) => graph.nodes.get(id)!.loops[0] ?? id;
  let starts: string[];
  if (from === 'failed') {
    const failedIds = new Set(attempts.filter((r) => r.status === 'failed' && (r.fired_edges?.length ?? 0) === 0 && graph.nodes.has(r.node_id)).map((r) => r.node_id));
    starts = [...new Set([...failedIds].filter((id) => !graph.nodes.get(id)!.inErrorPath).map(topLevel))];
    if (starts.length === 0) throw invalidFrom('no step of this execution failed: name a node_id to retry from');
  } else {
    const node = graph.nodes.get(from.node);
    if (!node) throw invalidFrom(`node "${from.node}" is not in the version being run`);
    if (node.inErrorPath) throw invalidFrom(`node "${from.node}" is on an error path; retry from the step that failed`);
    starts = [topLevel(from.node)];
  }
  const rerun = new Set<string>();
  const visit = (id: string) => {
    if (rerun.has(id)) return;
    rerun.add(id);
    for (const e of graph.nodes.get(id)?.out ?? []) visit(e.target);
  };
  for (const id of starts) visit(id);
  for (const [id, node] of graph.nodes) {
    if (node.loops.length > 0 || node.inErrorPath || rerun.has(id)) continue;
    if (!keepable(latest.get(id))) visit(id);
  }
  const reuse: NodeRunRecord[] = [];
  for (const [id, node] of graph.nodes) {
    if (node.loops.length > 0 || node.inErrorPath || rerun.has(id)) continue;
    reuse.push(latest.get(id)!);
  }
  const again = [...rerun].filter((id) => { const n = graph.nodes.get(id)!; return n.loops.length === 0 && !n.inErrorPath; });
  return { of: originalId, reuse, rerun: again };
}
