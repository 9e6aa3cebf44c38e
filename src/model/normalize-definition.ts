import type { Static } from '@sinclair/typebox';
import type { DefinitionDocumentSchema } from './definition-schema.js';
import { edgeIds } from './edge-ids.js';
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from './types.js';

export type DefinitionDocument = Static<typeof DefinitionDocumentSchema>;

/**
 * Fills what a document may leave out so the rest of the code sees one shape: edge ids
 * (`edge_<index>`, never colliding with written ids), node labels (the id), `config` and `edges`.
 * Export-only keys (`id`, `version`, `status`) are dropped: they describe the stored workflow.
 * Call only on a document that passed `DefinitionDocumentSchema`.
 */
export function normalizeDefinition(doc: DefinitionDocument): WorkflowDefinition {
  const { id: _id, version: _version, status: _status, nodes, edges = [], ...rest } = doc;
  const ids = edgeIds(edges.map((e) => e.id));
  const normalEdges = edges.map((e, index): WorkflowEdge => ({ ...e, id: ids[index] ?? `edge_${index}` }));
  const normalNodes = nodes.map((n): WorkflowNode => ({ ...n, label: n.label ?? n.id, config: n.config ?? {} }));
  return { ...rest, nodes: normalNodes, edges: normalEdges };
}
