import { edgeIds } from '../edge-ids.js';
import type { NodeType, VariableDefinition, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../types.js';

type Json = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The usable part of a document that failed the schema, so graph checks still run and the user
 * sees every problem in one round. Indexes are kept (problem paths point into the document);
 * what is unusable becomes `''` (ids, node types, endpoints) or `{}` (config), which the checks
 * skip because the schema problems already cover it. The node_type is whatever string was
 * written: the node-type check reports unknown ones.
 */
export function salvageDefinition(doc: Json & { readonly nodes: readonly unknown[] }): WorkflowDefinition {
  const rawEdges = Array.isArray(doc['edges']) ? (doc['edges'] as readonly unknown[]).map((e) => (isRecord(e) ? e : {})) : [];
  const ids = edgeIds(rawEdges.map((e) => (typeof e['id'] === 'string' && e['id'] !== '' ? e['id'] : undefined)));
  const edges = rawEdges.map((e, i): WorkflowEdge => {
    const handle = e['source_handle'];
    const condition = e['condition'];
    return {
      id: ids[i] ?? `edge_${i}`,
      source_node_id: text(e['source_node_id']),
      target_node_id: text(e['target_node_id']),
      ...(typeof handle === 'string' && handle !== '' ? { source_handle: handle } : {}),
      ...(typeof condition === 'string' ? { condition } : {}),
    };
  });
  const nodes = doc.nodes.map((raw): WorkflowNode => {
    const n = isRecord(raw) ? raw : {};
    const config = n['config'];
    return { id: text(n['id']), node_type: text(n['node_type']) as NodeType, config: isRecord(config) ? config : {} };
  });
  const variables = Array.isArray(doc['variables'])
    ? (doc['variables'] as readonly unknown[]).map((v): VariableDefinition => {
        const name = isRecord(v) ? text(v['name']) : '';
        return { name, type: 'string' };
      })
    : [];
  return { name: text(doc['name']), nodes, edges, variables };
}
