import { describe, expect, it } from 'vitest';
import type { ExecutionRecord, NodeRunRecord, Transition } from '../engine/store-port.js';
import type { ExecutionStatus } from '../engine/statuses.js';
import { groupByExecution } from './commit-groups.js';
import { EXECUTION_INPUT_REF, PayloadRef, PayloadRefs } from './payload-refs.js';

const execution = (id: string, status: ExecutionStatus, input: unknown) =>
  ({ id, status, input_data: input, variables: {}, output: null, error: null }) as unknown as ExecutionRecord;

const run = (executionId: string, id: string, input: unknown) =>
  ({ id, execution_id: executionId, node_id: id, scope: '', attempt: 1, status: 'running', input, output: null }) as unknown as NodeRunRecord;

function transition(executionId: string, parts: Partial<Transition>): Transition {
  return { executionId, insertRuns: [], updateRuns: [], logs: [], ...parts };
}

/** Commits `transitions` (nothing refused) and returns the run inputs as the store would write them. */
function commit(refs: PayloadRefs, transitions: Transition[]): unknown[] {
  const pending = refs.begin();
  const groups = pending.encode(groupByExecution(transitions));
  pending.confirm(new Set());
  return groups.flatMap((g) => g.transitions.flatMap((t) => t.insertRuns.map((r) => r.input)));
}

describe('PayloadRefs', () => {
  it('lets a later commit refer to a running execution’s stored input, not to one that finished', () => {
    const refs = new PayloadRefs();
    const running = { alert: 'disk full' };
    const finished = { alert: 'cpu' };
    expect(commit(refs, [
      transition('x1', { insertExecution: execution('x1', 'running', running), insertRuns: [run('x1', 'a', running)] }),
      transition('x2', { insertExecution: execution('x2', 'running', finished), insertRuns: [run('x2', 'a', finished)], updateExecution: { status: 'completed' } }),
    ])).toEqual([new PayloadRef(EXECUTION_INPUT_REF), new PayloadRef(EXECUTION_INPUT_REF)]);

    // Next commit: the running execution's payload is referred to; the finished one's is written as a
    // copy (correct whatever happens: nothing of it is remembered after its last commit).
    expect(commit(refs, [
      transition('x1', { insertRuns: [run('x1', 'b', running)] }),
      transition('x2', { insertRuns: [run('x2', 'b', finished)] }),
    ])).toEqual([new PayloadRef(EXECUTION_INPUT_REF), finished]);
  });

  it('remembers an execution that finished and started again within one commit', () => {
    const refs = new PayloadRefs();
    const input = { n: 1 };
    commit(refs, [
      transition('x1', { insertExecution: execution('x1', 'running', input), updateExecution: { status: 'failed' } }),
      transition('x1', { updateExecution: { status: 'running' } }),
    ]);
    expect(commit(refs, [transition('x1', { insertRuns: [run('x1', 'a', input)] })])).toEqual([new PayloadRef(EXECUTION_INPUT_REF)]);
  });
});
