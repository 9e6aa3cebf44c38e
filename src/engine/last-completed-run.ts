import type { NodeRunRecord } from './store-port.js';

/** A node's last completed run at the top scope (the one a workflow's answer names), or null. */
export function lastCompletedRun(runs: Iterable<NodeRunRecord>, nodeId: string): NodeRunRecord | null {
  let last: NodeRunRecord | null = null;
  for (const r of runs) {
    if (r.node_id === nodeId && r.scope === '' && r.status === 'completed' && (last === null || r.attempt > last.attempt)) last = r;
  }
  return last;
}
