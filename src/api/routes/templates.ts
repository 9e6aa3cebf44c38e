import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import type { TemplateRecord } from '../../store/template-repository.js';
import { IdParams, Nullable, problems } from '../schemas/common.js';
import { WorkflowSchema } from '../schemas/workflow.js';
import type { Api, ApiDeps } from '../types.js';
import { replyWorkflow } from './workflows.js';

const tags = ['templates'];

const TemplateSchema = Type.Object(
  {
    id: Type.String(), name: Type.String(), description: Nullable(Type.String()), category: Nullable(Type.String()), tags: Type.Array(Type.String()),
    builtin: Type.Boolean(), node_count: Type.Integer(), definition: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

function present(t: TemplateRecord, withDefinition: boolean) {
  return {
    id: t.id, name: t.name, description: t.description, category: t.category, tags: [...t.tags], builtin: t.builtin, node_count: t.definition.nodes.length,
    ...(withDefinition ? { definition: t.definition } : {}),
  };
}

export function templateRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/templates', {
    schema: {
      tags, summary: 'Workflow templates', querystring: Type.Object({ category: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }) },
    },
    config: { minRole: 'viewer' },
  }, async (req) => ({ items: (await app.repos.templates.list(req.query.category ? { category: req.query.category } : {})).map((t) => present(t, false)) }));

  f.get('/automation/templates/:id', {
    schema: { tags, summary: 'A template with its definition', params: IdParams, response: { 200: TemplateSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const t = await app.repos.templates.get(req.params.id);
    if (!t) throw new NotFoundError('template', req.params.id);
    return present(t, true);
  });

  f.post('/automation/templates/:id/use', {
    schema: {
      tags, summary: 'Create a new workflow draft from a template', params: IdParams,
      // Nullable: a POST without a body validates as null.
      body: Type.Union([Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }), Type.Null()]),
      response: { 201: WorkflowSchema, ...problems(400, 404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const t = await app.repos.templates.get(req.params.id);
    if (!t) throw new NotFoundError('template', req.params.id);
    const { id } = await app.store.workflows.createWorkflow({ ...t.definition, name: req.body?.name ?? t.definition.name }, { id: newId('wf') });
    return replyWorkflow(reply.header('location', `/automation/workflows/${id}`), deps, id, 201);
  });
}
