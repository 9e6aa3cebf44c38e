import type { Transition } from '../engine/store-port.js';

export interface ExecutionGroup {
  readonly executionId: string;
  /** In commit order. */
  readonly transitions: readonly Transition[];
  /** Some run update carries a fencing token: the group needs a savepoint. */
  readonly guarded: boolean;
}

/**
 * Groups a batch by execution, keeping first-appearance order between groups and commit order inside
 * each. A fencing rejection then undoes every transition of that execution in the batch, as
 * CommitResult promises ("nothing of theirs was written"), not just the one that failed the check;
 * reordering across executions is safe because a transition only touches its own execution's rows.
 */
export function groupByExecution(transitions: readonly Transition[]): ExecutionGroup[] {
  const byId = new Map<string, { executionId: string; transitions: Transition[]; guarded: boolean }>();
  for (const t of transitions) {
    let g = byId.get(t.executionId);
    if (g === undefined) {
      g = { executionId: t.executionId, transitions: [], guarded: false };
      byId.set(t.executionId, g);
    }
    g.transitions.push(t);
    if (!g.guarded && t.updateRuns.some((u) => u.expectToken !== undefined)) g.guarded = true;
  }
  return [...byId.values()];
}
