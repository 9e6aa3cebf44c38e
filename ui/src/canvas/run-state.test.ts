import { describe, expect, it } from 'vitest';
import type { NodeRun } from '../api/types';
import { buildGantt } from './gantt';
import { locateProblems } from './problems';
import { nodeStatuses } from './run-state';

const run = (id: string, node_id: string, status: NodeRun['status'], o: Partial<NodeRun> = {}): NodeRun => ({
  id, node_id, status, scope: '', attempt: 1, input: null, output: null, error: null, started_at: null, finished_at: null, duration_ms: null, logs: [], reused_from: null, child_execution_id: null, ...o,
});

describe('nodeStatuses', () => {
  it('takes the latest attempt, and the most alive status across loop iterations', () => {
    const s = nodeStatuses([
      run('1', 'call', 'failed'), run('2', 'call', 'completed', { attempt: 2 }),
      run('3', 'body', 'completed', { scope: 'loop[0]' }), run('4', 'body', 'running', { scope: 'loop[1]' }),
    ]);
    expect(Object.fromEntries(s)).toEqual({ call: 'completed', body: 'running' });
  });
});

describe('buildGantt', () => {
  it('places each attempt on the span from the first start to the last end', () => {
    const g = buildGantt([
      run('1', 'a', 'completed', { started_at: '2025-01-01T00:00:00.000Z', finished_at: '2025-01-01T00:00:01.000Z', duration_ms: 1000 }),
      run('2', 'b', 'completed', { started_at: '2025-01-01T00:00:01.000Z', finished_at: '2025-01-01T00:00:04.000Z', duration_ms: 3000 }),
      run('3', 'c', 'pending'),
    ], 0);
    expect(g.spanMs).toBe(4000);
    expect(g.bars.map((b) => [b.label, b.start, b.width])).toEqual([['a', 0, 0.25], ['b', 0.25, 0.75]]);
  });
});

describe('locateProblems', () => {
  it('puts problems on the nodes and edges they name, the rest in a general list', () => {
    const p = locateProblems([
      { path: '/nodes/1/config/url', code: 'invalid_config', message: 'is required' },
      { path: '/edges/0', code: 'unknown_handle', message: 'no such handle', node_ids: ['a'] },
      { path: '', code: 'cycle', message: 'cycle a → b → a', node_ids: ['a', 'b'] },
      { path: '/variables/0', code: 'duplicate_id', message: 'twice' },
    ], ['a', 'b'], ['e1']);
    expect(Object.fromEntries(p.nodes)).toEqual({ a: ['no such handle', 'cycle a → b → a'], b: ['config.url: is required', 'cycle a → b → a'] });
    expect(Object.fromEntries(p.edges)).toEqual({ e1: ['no such handle'] });
    expect(p.general).toEqual(['/variables/0: twice']);
  });
});
