import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ConflictError, ItwError, NotFoundError } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import type { WorkflowDefinition } from '../../model/types.js';
import { presentSummary, presentWorkflow } from '../present/workflow.js';
import { problems, WorkflowIdParams } from '../schemas/common.js';
import { ActivatedWorkflowSchema, type EdgeInputSchema, type NodeInputSchema, WorkflowCreateSchema, WorkflowListQuery, WorkflowListSchema, WorkflowSchema, WorkflowUpdateSchema } from '../schemas/workflow.js';
import { PreflightFailedSchema, PreflightSchema } from '../schemas/preflight.js';
import { editDraft, expectedRevision, storableDraft } from '../services/draft-editor.js';
import { preflightDraft } from '../services/preflight-service.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['workflows'];

export function withNodeIds(nodes: readonly Static<typeof NodeInputSchema>[]) {
  return nodes.map((n) => ({ ...n, id: n.id ?? newId('node'), config: n.config ?? {} }));
}

export function withEdgeIds(edges: readonly Static<typeof EdgeInputSchema>[]) {
  return edges.map((e) => ({ ...e, id: e.id ?? newId('edge') }));
}

/** Loads the workflow as the API shows it; 404 when it does not exist. */
export async function loadWorkflow(deps: ApiDeps, id: string) {
  const [header, def] = [await deps.app.repos.workflowQueries.get(id), await deps.app.store.workflows.getDefinition(id)];
  if (!header || !def) throw new NotFoundError('workflow', id);
  return presentWorkflow(header, def);
}

/** Answers with the workflow and its revision as ETag (what If-Match sends back). */
export async function replyWorkflow(reply: FastifyReply, deps: ApiDeps, id: string, status = 200) {
  const wf = await loadWorkflow(deps, id);
  return reply.code(status).header('etag', `"${wf.draft_revision}"`).send(wf);
}

export function workflowRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/workflows', {
    schema: { tags, summary: 'List workflows', querystring: WorkflowListQuery, response: { 200: WorkflowListSchema, ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const offset = req.query.offset ?? 0;
    const { items, total } = await app.repos.workflowQueries.list({ ...req.query, limit, offset });
    return { items: items.map(presentSummary), total, limit, offset };
  });

  f.get('/automation/workflows/:id', {
    schema: { tags, summary: 'A workflow with its draft nodes and edges', params: WorkflowIdParams, response: { 200: WorkflowSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req, reply) => replyWorkflow(reply, deps, req.params.id));

  f.post('/automation/workflows', {
    schema: { tags, summary: 'Create a workflow (a draft; nodes and edges optional)', body: WorkflowCreateSchema, response: { 201: WorkflowSchema, ...problems(400, 413, 422) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { nodes = [], edges = [], ...header } = req.body;
    const def = storableDraft({ ...header, nodes: withNodeIds(nodes), edges: withEdgeIds(edges) });
    const { id } = await app.store.workflows.createWorkflow(def, { id: newId('wf') });
    req.log.info({ workflow_id: id }, 'workflow created');
    return replyWorkflow(reply.header('location', `/automation/workflows/${id}`), deps, id, 201);
  });

  f.put('/automation/workflows/:id', {
    schema: {
      tags, summary: 'Update a workflow draft: fields present replace the draft\'s', params: WorkflowIdParams, body: WorkflowUpdateSchema,
      response: { 200: WorkflowSchema, ...problems(400, 404, 409, 413, 422) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { expected_revision: _r, nodes, edges, ...fields } = req.body;
    await editDraft(app, req.params.id, expectedRevision(req, req.body), (def): WorkflowDefinition => ({
      ...def,
      ...fields,
      ...(nodes ? { nodes: withNodeIds(nodes) } : {}),
      ...(edges ? { edges: withEdgeIds(edges) } : {}),
    }));
    return replyWorkflow(reply, deps, req.params.id);
  });

  f.delete('/automation/workflows/:id', {
    schema: { tags, summary: 'Delete a workflow (its executions stay as history)', params: WorkflowIdParams, response: { 204: Type.Null(), ...problems(404) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await app.repos.workflowQueries.delete(req.params.id);
    app.starter.invalidate(req.params.id);
    await app.triggers.sync(req.params.id);
    req.log.info({ workflow_id: req.params.id }, 'workflow deleted');
    return reply.code(204).send(null);
  });

  f.get('/automation/workflows/:id/preflight', {
    schema: {
      tags, summary: 'What activating the draft now would meet: blocking problems and warnings (nothing is changed)', params: WorkflowIdParams,
      response: { 200: PreflightSchema, ...problems(404) },
    },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const { problems: found, warnings } = await preflightDraft(app, deps.config, req.params.id);
    return { problems: found, warnings };
  });

  f.post('/automation/workflows/:id/activate', {
    schema: {
      tags,
      summary: 'Run the preflight, publish the draft as an immutable version and make it active',
      description: 'Every blocking problem (invalid trigger config, missing or mistyped credential, an allow-list setting a step needs, a webhook path in use, '
        + 'graph errors) comes back at once as `errors` of a 422; soft ones as `warnings` of the 200 body. Saving a draft never activates it.',
      params: WorkflowIdParams,
      response: { 200: ActivatedWorkflowSchema, 422: PreflightFailedSchema, ...problems(404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { problems: found, warnings, definition } = await preflightDraft(app, deps.config, req.params.id);
    if (found.length > 0) {
      // definition_invalid when the graph itself is wrong (what activate always answered then); either way every problem is listed.
      throw new ItwError(definition ? 'preflight_failed' : 'definition_invalid', `the workflow cannot be activated: ${found.length} problem${found.length === 1 ? '' : 's'} to fix first`, { details: { errors: found } });
    }
    const version = await app.starter.snapshotDraft(req.params.id, req.principal?.name);
    await app.store.workflows.setActiveVersion(req.params.id, version.id);
    await app.repos.workflowQueries.setStatus(req.params.id, 'active');
    app.starter.invalidate(req.params.id);
    await app.triggers.sync(req.params.id);
    req.log.info({ workflow_id: req.params.id, version: version.version }, 'workflow activated');
    const wf = await loadWorkflow(deps, req.params.id);
    // The presented workflow's readonly arrays are what the schema serializes; the typed reply wants mutable ones.
    const plain: FastifyReply = reply;
    return plain.header('etag', `"${wf.draft_revision}"`).send({ ...wf, warnings });
  });

  f.post('/automation/workflows/:id/deactivate', {
    schema: { tags, summary: 'Mark the workflow inactive (its triggers stop firing)', params: WorkflowIdParams, response: { 200: WorkflowSchema, ...problems(404, 409) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const wf = await app.repos.workflowQueries.require(req.params.id);
    if (wf.status !== 'active') throw new ConflictError(`workflow ${wf.id} is ${wf.status}, not active`, { status: wf.status });
    await app.repos.workflowQueries.setStatus(req.params.id, 'inactive');
    app.starter.invalidate(req.params.id);
    await app.triggers.sync(req.params.id);
    return replyWorkflow(reply, deps, req.params.id);
  });
}
