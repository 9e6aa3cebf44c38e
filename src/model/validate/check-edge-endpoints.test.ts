import { describe, expect, it } from 'vitest';
import { checkEdgeEndpoints } from './check-edge-endpoints.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkEdgeEndpoints', () => {
  //  a ─> b     ghost ─> b     a ─> nowhere
  it('reports each dangling end at its field', () => {
    const def = definition([node('a', 'trigger'), node('b', 'action')], [edge('a', 'b'), edge('ghost', 'b'), edge('a', 'nowhere')]);
    expect(checkEdgeEndpoints(def, testCatalog)).toEqual([
      {
        path: '/edges/1/source_node_id',
        code: 'missing_node',
        message: 'edge ghost → b leaves from node "ghost", which does not exist',
        node_ids: ['b'],
      },
      {
        path: '/edges/2/target_node_id',
        code: 'missing_node',
        message: 'edge a → nowhere goes to node "nowhere", which does not exist',
        node_ids: ['a'],
      },
    ]);
  });
});
