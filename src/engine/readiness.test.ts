import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition, WorkflowNode } from '../model/types.js';
import { createNodeRegistry } from '../nodes/registry.js';
import { testServices } from '../../test/support/loopback-egress.js';
import { compileGraph, type CompiledGraph } from './compiled-graph.js';
import { ExecutionState } from './execution-state.js';
import { loopKey, readiness } from './readiness.js';
import type { NodeRunRecord } from './store-port.js';
import type { NodeStatus } from './statuses.js';

const node = (id: string, node_type: WorkflowNode['node_type'], config: Record<string, unknown> = {}): WorkflowNode => ({ id, node_type, config });

/*
 *   start ──▶ check ──true──▶ yes ──┐
 *               │                    ├──▶ join
 *               └──false──▶ no ─────┘
 *
 *   call ──out──▶ ok
 *     └──error──▶ recover
 *
 *   each (loop) ──body──▶ item
 */
const DEF: WorkflowDefinition = {
  name: 'readiness',
  nodes: [
    node('start', 'trigger'), node('check', 'condition', { expression: 'true' }), node('yes', 'transform', { expression: '1' }),
    node('no', 'transform', { expression: '2' }), node('join', 'transform', { expression: '$input' }),
    node('call', 'api_call', { method: 'GET', url: 'http://127.0.0.1/' }), node('ok', 'transform', { expression: '1' }),
    node('recover', 'transform', { expression: '$error' }),
    node('each', 'loop', { items: '[1,2]' }), node('item', 'transform', { expression: '$item' }),
  ],
  edges: [
    { id: 's-c', source_node_id: 'start', target_node_id: 'check' },
    { id: 'c-yes', source_node_id: 'check', target_node_id: 'yes', source_handle: 'true' },
    { id: 'c-no', source_node_id: 'check', target_node_id: 'no', source_handle: 'false' },
    { id: 'yes-j', source_node_id: 'yes', target_node_id: 'join' },
    { id: 'no-j', source_node_id: 'no', target_node_id: 'join' },
    { id: 'call-ok', source_node_id: 'call', target_node_id: 'ok', source_handle: 'out' },
    { id: 'call-err', source_node_id: 'call', target_node_id: 'recover', source_handle: 'error' },
    { id: 'each-item', source_node_id: 'each', target_node_id: 'item', source_handle: 'body' },
  ],
};

const graph: CompiledGraph = compileGraph(DEF, createNodeRegistry(new Map(), testServices()));
const incoming = (id: string) => graph.nodes.get(id)!.in;

let seq = 0;
function run(node_id: string, status: NodeStatus, fired: string[] | null, extra: Partial<NodeRunRecord> = {}): NodeRunRecord {
  return {
    id: `run${++seq}`, execution_id: 'exec1', node_id, scope: '', attempt: 1, status, input: null, output: null, error: null,
    fired_edges: fired, wake_at: null, started_at: null, finished_at: null, duration_ms: null, lease_owner: null,
    lease_expires_at: null, lease_token: 0, state: null, ...extra,
  };
}

function stateWith(...runs: NodeRunRecord[]): ExecutionState {
  const s = new ExecutionState({
    id: 'exec1', workflow_id: 'wf1', version_id: 'ver1', version: 1, status: 'running', mode: 'manual', trigger_type: null,
    input_data: {}, variables: {}, output: null, error: null, idempotency_key: null, deadline_at: null, created_at: 0,
    started_at: 0, finished_at: null, duration_ms: null, entry_node_ids: null,
    parent_execution_id: null, parent_node_id: null, parent_run_id: null, depth: 0, retry_of: null,
  }, graph);
  for (const r of runs) s.adopt(r);
  return s;
}

describe('readiness', () => {
  it('is ready with the predecessor output as $input when its one edge fired', () => {
    const s = stateWith(run('check', 'completed', ['c-yes'], { output: true }));
    expect(readiness(s, '', incoming('yes'))).toEqual({ status: 'ready', input: true, error: undefined });
  });

  it('is dead when its one edge comes from a handle not taken', () => {
    const s = stateWith(run('check', 'completed', ['c-yes'], { output: true }));
    expect(readiness(s, '', incoming('no')).status).toBe('dead');
  });

  it('waits while the predecessor has not finished', () => {
    expect(readiness(stateWith(), '', incoming('yes')).status).toBe('waiting');
    expect(readiness(stateWith(run('check', 'running', null)), '', incoming('yes')).status).toBe('waiting');
  });

  it('waits at a join until every incoming edge is resolved', () => {
    const s = stateWith(run('yes', 'completed', ['yes-j'], { output: 1 }));
    expect(readiness(s, '', incoming('join')).status).toBe('waiting');
  });

  it('joins after a condition: the skipped branch is dead, $input is keyed by the predecessor that fired', () => {
    const s = stateWith(run('yes', 'completed', ['yes-j'], { output: 1 }), run('no', 'skipped', []));
    expect(readiness(s, '', incoming('join'))).toEqual({ status: 'ready', input: { yes: 1 }, error: undefined });
  });

  it('keys $input by every predecessor when both fired', () => {
    const s = stateWith(run('yes', 'completed', ['yes-j'], { output: 1 }), run('no', 'completed', ['no-j'], { output: 2 }));
    expect(readiness(s, '', incoming('join')).input).toEqual({ yes: 1, no: 2 });
  });

  it('is dead at a join whose incoming edges all died (dead-path elimination)', () => {
    const s = stateWith(run('yes', 'skipped', []), run('no', 'skipped', []));
    expect(readiness(s, '', incoming('join')).status).toBe('dead');
  });

  it("passes a caught failure's error down the error edge, and kills the out edge", () => {
    const error = { message: 'connection refused', code: 'ECONNREFUSED' };
    const s = stateWith(run('call', 'failed', ['call-err'], { error }));
    expect(readiness(s, '', incoming('recover'))).toEqual({ status: 'ready', input: error, error });
    expect(readiness(s, '', incoming('ok')).status).toBe('dead');
  });

  it("inside an iteration, the loop's body edge has fired and carries that iteration's item", () => {
    const s = stateWith(run('each', 'running', null));
    s.loops.set(loopKey('', 'each'), { items: ['a', 'b'], concurrency: 1, next: 2, active: 2, completed: 0, results: [] });
    expect(readiness(s, 'each[1]', incoming('item'))).toEqual({ status: 'ready', input: 'b', error: undefined });
  });

  it('looks only at runs of its own scope', () => {
    const s = stateWith(run('yes', 'completed', ['yes-j'], { scope: 'other[0]', output: 1 }), run('no', 'skipped', [], { scope: 'other[0]' }));
    expect(readiness(s, '', incoming('join')).status).toBe('waiting');
    expect(readiness(s, 'other[0]', incoming('join')).status).toBe('ready');
  });
});
