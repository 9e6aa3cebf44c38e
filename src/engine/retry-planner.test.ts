import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition, WorkflowNode } from '../model/types.js';
import { createNodeRegistry } from '../nodes/registry.js';
import { testServices } from '../../test/support/loopback-egress.js';
import { compileGraph } from './compiled-graph.js';
import { planRetry } from './retry-planner.js';
import type { NodeRunRecord } from './store-port.js';
import type { NodeStatus } from './statuses.js';

const node = (id: string, node_type: WorkflowNode['node_type'], config: Record<string, unknown> = { expression: '1' }): WorkflowNode => ({ id, node_type, config });
const edge = (source: string, target: string, source_handle?: string) => ({ id: `${source}-${target}`, source_node_id: source, target_node_id: target, ...(source_handle ? { source_handle } : {}) });

/*
 *   t ──▶ a ──▶ b ──▶ c          t ──▶ side           t ──▶ each (loop) ──body──▶ inner
 *                                                                  └──done──▶ after
 *   graph error handler: oops
 */
const DEF: WorkflowDefinition = {
  name: 'retry',
  nodes: [
    node('t', 'trigger', {}), node('a', 'transform'), node('b', 'transform'), node('c', 'transform'), node('side', 'transform'),
    node('each', 'loop', { items: '[1,2]' }), node('inner', 'transform'), node('after', 'transform'), node('oops', 'error_handler', {}),
  ],
  edges: [edge('t', 'a'), edge('a', 'b'), edge('b', 'c'), edge('t', 'side'), edge('t', 'each'), edge('each', 'inner', 'body'), edge('each', 'after', 'done')],
};
const graph = compileGraph(DEF, createNodeRegistry(new Map(), testServices()));

let seq = 0;
function run(node_id: string, status: NodeStatus, extra: Partial<NodeRunRecord> = {}): NodeRunRecord {
  return {
    id: `r${++seq}`, execution_id: 'ex_old', node_id, scope: '', attempt: 1, status, input: null, output: { from: node_id }, error: null,
    fired_edges: status === 'completed' ? graph.nodes.get(node_id)!.out.map((e) => e.id) : [], wake_at: null, started_at: 1, finished_at: 2,
    duration_ms: 1, lease_owner: null, lease_expires_at: null, lease_token: 1, state: null, ...extra,
  };
}

const done = ['t', 'side', 'each', 'after'].map((id) => run(id, 'completed'));
const ids = (runs: readonly NodeRunRecord[]) => runs.map((r) => r.node_id).sort();

describe('planRetry', () => {
  it('from the failed step: what ran before it is kept, it and what follows run again', () => {
    const plan = planRetry(graph, 'ex_old', [...done, run('a', 'completed'), run('b', 'failed'), run('c', 'cancelled')], 'failed');
    expect(plan.of).toBe('ex_old');
    expect(ids(plan.reuse)).toEqual(['a', 'after', 'each', 'side', 't']);
    expect([...plan.rerun].sort()).toEqual(['b', 'c']);
  });

  it('an attempt that failed and was retried successfully is not a restart point', () => {
    const plan = planRetry(graph, 'ex_old', [...done, run('a', 'completed'), run('b', 'failed'), run('b', 'completed', { attempt: 2 }), run('c', 'failed')], 'failed');
    expect(plan.rerun).toEqual(['c']);
    expect(plan.reuse.find((r) => r.node_id === 'b')!.attempt).toBe(2);
  });

  it('a step that never finished (cancelled by a failure elsewhere) runs again with what follows it', () => {
    const plan = planRetry(graph, 'ex_old', [run('t', 'completed'), run('a', 'failed'), run('side', 'cancelled'), run('each', 'completed'), run('after', 'completed')], 'failed');
    expect([...plan.rerun].sort()).toEqual(['a', 'b', 'c', 'side']);
  });

  it('a failure inside a loop body restarts the loop; so does a chosen body node', () => {
    const runs = [run('t', 'completed'), run('a', 'completed'), run('b', 'completed'), run('c', 'completed'), run('side', 'completed'),
      run('each', 'failed'), run('inner', 'failed', { scope: 'each[1]' })];
    expect([...planRetry(graph, 'ex_old', runs, 'failed').rerun].sort()).toEqual(['after', 'each']);
    expect([...planRetry(graph, 'ex_old', runs, { node: 'inner' }).rerun].sort()).toEqual(['after', 'each']);
  });

  it('from a chosen node: that node and its descendants run again, even when nothing failed', () => {
    const plan = planRetry(graph, 'ex_old', [...done, run('a', 'completed'), run('b', 'completed'), run('c', 'completed')], { node: 'a' });
    expect([...plan.rerun].sort()).toEqual(['a', 'b', 'c']);
    expect(ids(plan.reuse)).toEqual(['after', 'each', 'side', 't']);
  });

  it('refuses, naming /from: a node the version lacks, an error-path node, nothing that failed', () => {
    const ok = [...done, run('a', 'completed'), run('b', 'completed'), run('c', 'completed')];
    for (const [from, message] of [[{ node: "a'; DROP TABLE executions; --" }, 'is not in the version'], [{ node: '__proto__' }, 'is not in the version'], [{ node: 'oops' }, 'error path'], ['failed', 'no step of this execution failed']] as const) {
      let thrown: unknown;
      try {
        planRetry(graph, 'ex_old', ok, from);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toMatchObject({ code: 'validation', message: expect.stringContaining(message), details: { errors: [{ in: 'body', path: '/from' }] } });
    }
  });
});
