import { Type } from '@sinclair/typebox';
import { TRIGGER_TYPES } from '../../nodes/trigger.js';
import { presentTrigger } from '../present/workflow.js';
import { JsonObject, problems, stringEnum, WorkflowIdParams } from '../schemas/common.js';
import { TriggerSchema } from '../schemas/workflow.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['triggers'];

export function triggerRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.post('/automation/workflows/:id/triggers', {
    schema: {
      tags, summary: 'Register a trigger on a workflow', params: WorkflowIdParams,
      body: Type.Object({ trigger_type: stringEnum(TRIGGER_TYPES), config: Type.Optional(JsonObject), enabled: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false }),
      response: { 201: TriggerSchema, ...problems(400, 404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await app.repos.workflowQueries.require(req.params.id);
    const t = await app.repos.triggers.add(req.params.id, { trigger_type: req.body.trigger_type, config: req.body.config ?? {}, enabled: req.body.enabled ?? true });
    return reply.code(201).header('location', `/automation/workflows/${req.params.id}/triggers/${t.id}`).send(presentTrigger(t));
  });

  f.get('/automation/workflows/:id/triggers', {
    schema: { tags, summary: 'A workflow\'s triggers', params: WorkflowIdParams, response: { 200: Type.Object({ items: Type.Array(TriggerSchema) }), ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    await app.repos.workflowQueries.require(req.params.id);
    return { items: (await app.repos.triggers.list(req.params.id)).map(presentTrigger) };
  });

  f.delete('/automation/workflows/:id/triggers/:trigger_id', {
    schema: {
      tags, summary: 'Remove a trigger', params: Type.Object({ id: Type.String({ minLength: 1 }), trigger_id: Type.String({ minLength: 1 }) }),
      response: { 204: Type.Null(), ...problems(404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await app.repos.triggers.remove(req.params.id, req.params.trigger_id);
    return reply.code(204).send(null);
  });
}
