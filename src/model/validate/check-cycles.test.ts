import { describe, expect, it } from 'vitest';
import { checkCycles } from './check-cycles.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkCycles', () => {
  //  t ─> a ─> b ─> c ─> a
  it('reports a cycle with its members and the first edge on it', () => {
    const def = definition(
      [node('t', 'trigger'), node('a', 'action'), node('b', 'action'), node('c', 'action')],
      [edge('t', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a')],
    );
    expect(checkCycles(def, testCatalog)).toEqual([
      {
        path: '/edges/1',
        code: 'cycle',
        message: 'nodes "a", "b", "c" form a cycle; only a loop body may lead back to its loop',
        node_ids: ['a', 'b', 'c'],
      },
    ]);
  });

  //  t ─> L ─body─> x ─> L      (loop-back: fine)
  //       L ─done─> d ─> L      (back from the done path: a cycle)
  it('allows a loop body to lead back to its loop but not the done path', () => {
    const def = definition(
      [node('t', 'trigger'), node('L', 'loop'), node('x', 'action'), node('d', 'action')],
      [edge('t', 'L'), edge('L', 'x', 'body'), edge('x', 'L'), edge('L', 'd', 'done'), edge('d', 'L')],
    );
    expect(checkCycles(def, testCatalog)).toEqual([
      {
        path: '/edges/3',
        code: 'cycle',
        message: 'nodes "L", "d" form a cycle; only a loop body may lead back to its loop',
        node_ids: ['L', 'd'],
      },
    ]);
  });

  it('reports a self-loop', () => {
    const def = definition([node('a', 'transform')], [edge('a', 'a')]);
    expect(checkCycles(def, testCatalog)).toMatchObject([{ path: '/edges/0', code: 'cycle', node_ids: ['a'] }]);
  });
});
