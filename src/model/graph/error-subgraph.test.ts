import { describe, expect, it } from 'vitest';
import type { NodeType, WorkflowEdge, WorkflowNode } from '../types.js';
import { errorSubgraph, graphErrorHandlers } from './error-subgraph.js';

const n = (id: string, node_type: NodeType = 'action'): WorkflowNode => ({ id, node_type, config: {} });
const e = (source_node_id: string, target_node_id: string): WorkflowEdge => ({
  id: `${source_node_id}->${target_node_id}`,
  source_node_id,
  target_node_id,
});

describe('errorSubgraph', () => {
  //  t ─> a ─error─> h2 (error_handler with an incoming edge: a catch path, not graph-level)
  //  h1 (error_handler) ─> notify ─> log
  it('starts only at error handlers without incoming edges', () => {
    const def = {
      nodes: [n('t', 'trigger'), n('a'), n('h2', 'error_handler'), n('h1', 'error_handler'), n('notify'), n('log')],
      edges: [e('t', 'a'), e('a', 'h2'), e('h1', 'notify'), e('notify', 'log')],
    };
    expect(graphErrorHandlers(def)).toEqual(['h1']);
    expect([...errorSubgraph(def)].sort()).toEqual(['h1', 'log', 'notify']);
  });

  it('is empty without error handlers', () => {
    expect(errorSubgraph({ nodes: [n('a')], edges: [] }).size).toBe(0);
  });
});
