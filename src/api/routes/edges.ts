import { Type } from '@sinclair/typebox';
import { ItwError, NotFoundError } from '../../model/errors.js';
import type { WorkflowDefinition } from '../../model/types.js';
import { problems } from '../schemas/common.js';
import { EdgeBodySchema, WorkflowSchema } from '../schemas/workflow.js';
import { editDraft, expectedRevision } from '../services/draft-editor.js';
import type { Api, ApiDeps } from '../types.js';
import { replyWorkflow, withEdgeIds } from './workflows.js';

const tags = ['edges'];

function fieldErrors(errors: Array<{ path: string; message: string }>): ItwError {
  return new ItwError('validation', errors.map((e) => `${e.path.slice(1)} ${e.message}`).join('; '), { details: { errors: errors.map((e) => ({ in: 'body', ...e })) } });
}

/** Both endpoints must exist and the handle must be one the source node type fires. */
function checkEdge(deps: ApiDeps, def: WorkflowDefinition, edge: { id: string; source_node_id: string; target_node_id: string; source_handle?: string | null | undefined }): void {
  const errors: Array<{ path: string; message: string }> = [];
  const source = def.nodes.find((n) => n.id === edge.source_node_id);
  if (!source) errors.push({ path: '/source_node_id', message: `"${edge.source_node_id}" is not a node of this workflow` });
  if (!def.nodes.some((n) => n.id === edge.target_node_id)) errors.push({ path: '/target_node_id', message: `"${edge.target_node_id}" is not a node of this workflow` });
  if (def.edges.some((e) => e.id === edge.id)) errors.push({ path: '/id', message: `"${edge.id}" is already an edge of this workflow` });
  const spec = source && deps.app.catalog.nodeTypes.get(source.node_type);
  if (spec && edge.source_handle != null && !spec.handles.includes(edge.source_handle)) {
    errors.push({ path: '/source_handle', message: `a ${source.node_type} node has no handle "${edge.source_handle}" (it has ${spec.handles.join(', ')})` });
  }
  if (errors.length > 0) throw fieldErrors(errors);
}

export function edgeRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.post('/automation/workflows/:id/edges', {
    schema: {
      tags, summary: 'Connect two nodes (optionally from a handle, with a JSONata condition)', params: Type.Object({ id: Type.String({ minLength: 1 }) }),
      body: EdgeBodySchema, response: { 201: WorkflowSchema, ...problems(400, 404, 409) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { expected_revision: _r, ...input } = req.body;
    const [edge] = withEdgeIds([input]);
    await editDraft(app, req.params.id, expectedRevision(req, req.body), (def) => {
      checkEdge(deps, def, edge!);
      return { ...def, edges: [...def.edges, edge!] };
    });
    reply.header('location', `/automation/workflows/${req.params.id}/edges/${edge!.id}`);
    return replyWorkflow(reply, deps, req.params.id, 201);
  });

  f.delete('/automation/workflows/:id/edges/:edge_id', {
    schema: {
      tags, summary: 'Remove an edge', params: Type.Object({ id: Type.String({ minLength: 1 }), edge_id: Type.String({ minLength: 1 }) }),
      response: { 200: WorkflowSchema, ...problems(404, 409) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await editDraft(app, req.params.id, expectedRevision(req), (def) => {
      if (!def.edges.some((e) => e.id === req.params.edge_id)) throw new NotFoundError('edge', req.params.edge_id);
      return { ...def, edges: def.edges.filter((e) => e.id !== req.params.edge_id) };
    });
    return replyWorkflow(reply, deps, req.params.id);
  });
}
