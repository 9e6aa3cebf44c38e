import { describe, expect, it } from 'vitest';
import { normalizeDefinition } from './normalize-definition.js';

describe('normalizeDefinition', () => {
  it('names unnamed edges edge_<index> without colliding with written ids', () => {
    const def = normalizeDefinition({
      name: 'w',
      nodes: [
        { id: 'a', node_type: 'trigger', config: {} },
        { id: 'b', node_type: 'action', label: 'Page on-call', config: { action_type: 'page' } },
      ],
      edges: [
        { source_node_id: 'a', target_node_id: 'b' },
        { id: 'edge_0', source_node_id: 'a', target_node_id: 'b', source_handle: 'out' },
        { source_node_id: 'a', target_node_id: 'b', condition: '$input.ok' },
      ],
    });
    expect(def.edges.map((e) => e.id)).toEqual(['edge_0_2', 'edge_0', 'edge_2']);
    expect(def.edges[2]).toEqual({ id: 'edge_2', source_node_id: 'a', target_node_id: 'b', condition: '$input.ok' });
  });

  it('labels nodes with their id when unlabeled and keeps everything else as written', () => {
    const def = normalizeDefinition({
      name: ' W ',
      id: 'wf_1',
      version: 3,
      settings: { error_strategy: 'continue' },
      nodes: [
        { id: 'a', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'b', node_type: 'error_handler', label: 'Cleanup' },
      ],
    });
    expect(def).toEqual({
      name: ' W ',
      settings: { error_strategy: 'continue' },
      nodes: [
        { id: 'a', node_type: 'trigger', label: 'a', config: { trigger_type: 'manual' } },
        { id: 'b', node_type: 'error_handler', label: 'Cleanup', config: {} },
      ],
      edges: [],
    });
  });
});
