import type { DefinitionDocument, EdgeInput, NodeInput, WorkflowEdge, WorkflowNode } from '../api/types';
import type { EditorEdge, EditorNode, GraphState, HandlesOf } from './types';

export function toEditorNode(n: WorkflowNode): EditorNode {
  const { position_x, position_y, ...node } = n;
  return { id: n.id, type: 'itw', position: { x: position_x ?? 0, y: position_y ?? 0 }, data: { node: { ...node, config: node.config ?? {} } } };
}

export function toEditorEdge(e: WorkflowEdge, nodes: ReadonlyMap<string, WorkflowNode>, handlesOf: HandlesOf): EditorEdge {
  const source = nodes.get(e.source_node_id);
  const handle = e.source_handle ?? (source ? handlesOf(source.node_type)[0] : undefined) ?? 'out';
  return { id: e.id, source: e.source_node_id, target: e.target_node_id, sourceHandle: handle, type: 'itw', data: { condition: e.condition ?? null } };
}

/** A definition's nodes and edges as canvas state (edges without a handle leave from the default one). */
export function toGraph(def: Pick<DefinitionDocument, 'nodes' | 'edges'>, handlesOf: HandlesOf): GraphState {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  return { nodes: def.nodes.map(toEditorNode), edges: (def.edges ?? []).map((e) => toEditorEdge(e, byId, handlesOf)) };
}

/** The canvas back in the definition format (positions rounded: nobody needs sub-pixel ones in a diff). */
export function fromGraph(g: GraphState): { nodes: (NodeInput & { id: string })[]; edges: (EdgeInput & { id: string })[] } {
  return {
    nodes: g.nodes.map((n) => {
      // The API takes absent, not null, for "no retry policy / no timeout", and no empty label.
      const { retry, timeout_seconds, label, disabled, ...node } = n.data.node;
      return {
        ...node, ...(label ? { label } : {}), ...(retry ? { retry } : {}), ...(timeout_seconds != null ? { timeout_seconds } : {}), ...(disabled ? { disabled } : {}),
        position_x: Math.round(n.position.x), position_y: Math.round(n.position.y),
      };
    }),
    edges: g.edges.map((e) => ({
      id: e.id, source_node_id: e.source, target_node_id: e.target, source_handle: e.sourceHandle, ...(e.data.condition ? { condition: e.data.condition } : {}),
    })),
  };
}
