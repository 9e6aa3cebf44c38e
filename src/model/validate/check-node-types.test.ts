import { describe, expect, it } from 'vitest';
import type { NodeType } from '../types.js';
import { checkNodeTypes } from './check-node-types.js';
import { definition, node, testCatalog } from './test-catalog.js';

describe('checkNodeTypes', () => {
  it('accepts catalog types', () => {
    expect(checkNodeTypes(definition([node('t', 'trigger'), node('a', 'action')]), testCatalog)).toEqual([]);
  });

  it('reports a type missing from the catalog and an unavailable type', () => {
    const def = definition([node('t', 'trigger'), node('x', 'sorcery' as NodeType), node('ok?', 'approval')]);
    const problems = checkNodeTypes(def, testCatalog);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ path: '/nodes/1/node_type', code: 'unknown_node_type', node_ids: ['x'] });
    expect(problems[0]?.message).toMatch(/^unknown node type "sorcery" \(known: trigger, action/);
    expect(problems[1]).toEqual({
      path: '/nodes/2/node_type',
      code: 'node_type_unavailable',
      message: 'node type "approval" is not available in this version',
      node_ids: ['ok?'],
    });
  });
});
