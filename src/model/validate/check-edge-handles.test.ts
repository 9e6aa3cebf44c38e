import { describe, expect, it } from 'vitest';
import { checkEdgeHandles } from './check-edge-handles.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkEdgeHandles', () => {
  //  t ─> c ─true─> a ─error─> n
  //       c ─maybe─> n          (no such handle)
  //       c ───────> n          (condition has no default handle)
  it('reports unknown handles and missing handles where the type has no default', () => {
    const def = definition(
      [node('t', 'trigger'), node('c', 'condition'), node('a', 'action'), node('n', 'notification')],
      [edge('t', 'c'), edge('c', 'a', 'true'), edge('a', 'n', 'error'), edge('c', 'n', 'maybe'), edge('c', 'n')],
    );
    expect(checkEdgeHandles(def, testCatalog)).toEqual([
      {
        path: '/edges/3/source_handle',
        code: 'unknown_handle',
        message: 'node "c" (condition) has no handle "maybe"; valid handles: true, false',
        node_ids: ['c'],
      },
      {
        path: '/edges/4/source_handle',
        code: 'unknown_handle',
        message: 'an edge from "c" (condition) must name its source_handle: one of true, false',
        node_ids: ['c'],
      },
    ]);
  });
});
