import { describe, expect, it } from 'vitest';
import type { Transition } from '../engine/store-port.js';
import { visitTransition, type TransitionVisitor } from './transition-statements.js';

/** Records each statement as `kind:id`, in the order visited. */
function order(t: Transition): string[] {
  const seen: string[] = [];
  const v: TransitionVisitor = {
    revision: (id, expect) => seen.push(`revision:${id}@${expect}`),
    fencedRun: (u) => seen.push(`fenced:${u.id}`),
    insertExecution: (x) => seen.push(`insertExecution:${x.id}`),
    updateExecution: () => seen.push('updateExecution'),
    insertRun: (r) => seen.push(`insertRun:${r.id}`),
    updateRun: (u) => seen.push(`updateRun:${u.id}`),
    log: (l) => seen.push(`log:${l.message}`),
  };
  visitTransition(t, v);
  return seen;
}

describe('visitTransition: the one statement order both stores run', () => {
  it('runs every check before anything is written, then the execution, its runs and its logs', () => {
    // Updates are listed unfenced first: the fenced one must still come before every write, or a
    // refusal would leave writes behind (commit-groups.ts decides savepoints on this order).
    const t = {
      executionId: 'x1',
      expectRevision: 4,
      updateExecution: { status: 'running' },
      insertRuns: [{ id: 'r3' }, { id: 'r4' }],
      updateRuns: [{ id: 'r1', set: { status: 'completed' } }, { id: 'r2', set: { status: 'completed' }, expectToken: 7 }],
      logs: [{ message: 'l1' }],
    } as unknown as Transition;
    expect(order(t)).toEqual(['revision:x1@4', 'fenced:r2', 'updateExecution', 'insertRun:r3', 'insertRun:r4', 'updateRun:r1', 'log:l1']);
  });

  it('creates the execution row before the runs that reference it', () => {
    const t = { executionId: 'x2', insertExecution: { id: 'x2' }, insertRuns: [{ id: 'r1' }], updateRuns: [], logs: [] } as unknown as Transition;
    expect(order(t)).toEqual(['insertExecution:x2', 'insertRun:r1']);
  });
});
