import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../../src/model/types.js';

/** Small builders so each test can draw its graph in a few lines. */
export function n(id: string, node_type: WorkflowNode['node_type'], config: Record<string, unknown> = {}, extra: Partial<WorkflowNode> = {}): WorkflowNode {
  return { id, node_type, config, ...extra };
}

export function transform(id: string, expression: string): WorkflowNode {
  return n(id, 'transform', { expression });
}

let edgeSeq = 0;
export function e(source: string, target: string, source_handle?: string, condition?: string): WorkflowEdge {
  return {
    id: `e${++edgeSeq}_${source}_${target}`,
    source_node_id: source,
    target_node_id: target,
    ...(source_handle ? { source_handle } : {}),
    ...(condition ? { condition } : {}),
  };
}

export function wf(nodes: WorkflowNode[], edges: WorkflowEdge[], extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { name: 'test', nodes, edges, ...extra };
}
