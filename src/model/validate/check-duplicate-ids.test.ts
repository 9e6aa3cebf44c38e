import { describe, expect, it } from 'vitest';
import { checkDuplicateIds } from './check-duplicate-ids.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkDuplicateIds', () => {
  it('reports the second occurrence of a node id, edge id and variable name', () => {
    const def = {
      ...definition(
        [node('a', 'trigger'), node('b', 'action'), node('a', 'action')],
        [edge('a', 'b', undefined, { id: 'e1' }), edge('b', 'a', undefined, { id: 'e1' })],
      ),
      variables: [
        { name: 'team', type: 'string' as const },
        { name: 'env', type: 'string' as const },
        { name: 'team', type: 'number' as const },
      ],
    };
    expect(checkDuplicateIds(def, testCatalog)).toEqual([
      { path: '/nodes/2/id', code: 'duplicate_id', message: 'node id "a" is already used by /nodes/0', node_ids: ['a'] },
      { path: '/edges/1/id', code: 'duplicate_id', message: 'edge id "e1" is already used by /edges/0' },
      { path: '/variables/2/name', code: 'duplicate_id', message: 'variable "team" is already defined at /variables/0' },
    ]);
  });

  it('accepts unique ids', () => {
    expect(checkDuplicateIds(definition([node('a', 'trigger'), node('b', 'action')], [edge('a', 'b')]), testCatalog)).toEqual([]);
  });
});
