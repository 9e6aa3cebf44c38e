import { Type } from '@sinclair/typebox';
import { ItwError, NotFoundError } from '../../model/errors.js';
import type { WorkflowNode } from '../../model/types.js';
import { problems } from '../schemas/common.js';
import { NodeBodySchema, NodePatchSchema, WorkflowSchema } from '../schemas/workflow.js';
import { editDraft, expectedRevision } from '../services/draft-editor.js';
import type { Api, ApiDeps } from '../types.js';
import { replyWorkflow, withNodeIds } from './workflows.js';

const tags = ['nodes'];
const NodeParams = Type.Object({ id: Type.String({ minLength: 1 }), node_id: Type.String({ minLength: 1 }) });

function badField(path: string, message: string): ItwError {
  return new ItwError('validation', `${path.slice(1)} ${message}`, { details: { errors: [{ in: 'body', path, message }] } });
}

export function nodeRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.post('/automation/workflows/:id/nodes', {
    schema: {
      tags, summary: 'Add a node to the draft (`id` generated as node_... when absent)', params: Type.Object({ id: Type.String({ minLength: 1 }) }), body: NodeBodySchema,
      response: { 201: WorkflowSchema, ...problems(400, 404, 409, 413) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { expected_revision: _r, ...input } = req.body;
    const [node] = withNodeIds([input]);
    await editDraft(app, req.params.id, expectedRevision(req, req.body), (def) => {
      if (def.nodes.some((n) => n.id === node!.id)) throw badField('/id', `"${node!.id}" is already a node of this workflow`);
      return { ...def, nodes: [...def.nodes, { ...node!, label: node!.label ?? node!.id }] };
    });
    reply.header('location', `/automation/workflows/${req.params.id}/nodes/${node!.id}`);
    return replyWorkflow(reply, deps, req.params.id, 201);
  });

  f.patch('/automation/workflows/:id/nodes/:node_id', {
    schema: {
      tags, summary: 'Update a node: position, label, config (replaced whole), retry, timeout, disabled', params: NodeParams, body: NodePatchSchema,
      response: { 200: WorkflowSchema, ...problems(400, 404, 409) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { expected_revision: _r, ...patch } = req.body;
    await editDraft(app, req.params.id, expectedRevision(req, req.body), (def) => {
      if (!def.nodes.some((n) => n.id === req.params.node_id)) throw new NotFoundError('node', req.params.node_id);
      const nodes = def.nodes.map((n): WorkflowNode => {
        if (n.id !== req.params.node_id) return n;
        const merged: Record<string, unknown> = { ...n, ...patch };
        // `null` clears an optional field.
        for (const k of ['retry', 'timeout_seconds'] as const) if (merged[k] === null) delete merged[k];
        return merged as unknown as WorkflowNode;
      });
      return { ...def, nodes };
    });
    return replyWorkflow(reply, deps, req.params.id);
  });

  f.delete('/automation/workflows/:id/nodes/:node_id', {
    schema: { tags, summary: 'Remove a node and every edge touching it', params: NodeParams, response: { 200: WorkflowSchema, ...problems(404, 409) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const nodeId = req.params.node_id;
    await editDraft(app, req.params.id, expectedRevision(req), (def) => {
      if (!def.nodes.some((n) => n.id === nodeId)) throw new NotFoundError('node', nodeId);
      return {
        ...def,
        nodes: def.nodes.filter((n) => n.id !== nodeId),
        edges: def.edges.filter((e) => e.source_node_id !== nodeId && e.target_node_id !== nodeId),
      };
    });
    return replyWorkflow(reply, deps, req.params.id);
  });
}
