import { Type } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { TRIGGER_TYPES } from '../../nodes/trigger.js';
import type { TriggerRecord } from '../../store/trigger-repository.js';
import { nextTicks, type ScheduleConfig } from '../../triggers/sources/schedule.js';
import { presentTrigger } from '../present/workflow.js';
import { JsonObject, problems, stringEnum, WorkflowIdParams } from '../schemas/common.js';
import { TriggerSchema } from '../schemas/workflow.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['triggers'];

/** A trigger as listed: its row, plus the next five run times of a schedule. */
function present(deps: ApiDeps, t: TriggerRecord) {
  const base = presentTrigger(t);
  if (t.trigger_type !== 'schedule') return base;
  const checked = deps.app.triggers.validate('schedule', t.config);
  if (!('config' in checked)) return { ...base, next_runs: [] };
  return { ...base, next_runs: nextTicks(checked.config as ScheduleConfig, deps.app.triggers.now(), 5).map((ms) => new Date(ms).toISOString()) };
}

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
    const checked = app.triggers.validate(req.body.trigger_type, req.body.config ?? {});
    if ('problems' in checked) {
      const errors = checked.problems.map((p) => ({ in: 'body', path: `/config${p.split(':')[0] === '/' ? '' : p.split(':')[0]}`, message: p.slice(p.indexOf(':') + 1).trim() }));
      throw new ItwError('validation', `config is not valid for a ${req.body.trigger_type} trigger`, { details: { errors } });
    }
    const t = await app.repos.triggers.add(req.params.id, { trigger_type: req.body.trigger_type, config: req.body.config ?? {}, enabled: req.body.enabled ?? true });
    await app.triggers.sync(req.params.id);
    return reply.code(201).header('location', `/automation/workflows/${req.params.id}/triggers/${t.id}`).send(present(deps, t));
  });

  f.get('/automation/workflows/:id/triggers', {
    schema: { tags, summary: 'A workflow\'s triggers', params: WorkflowIdParams, response: { 200: Type.Object({ items: Type.Array(TriggerSchema) }), ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    await app.repos.workflowQueries.require(req.params.id);
    await app.triggers.flushStatus();
    return { items: (await app.repos.triggers.list(req.params.id)).map((t) => present(deps, t)) };
  });

  f.delete('/automation/workflows/:id/triggers/:trigger_id', {
    schema: {
      tags, summary: 'Remove a trigger', params: Type.Object({ id: Type.String({ minLength: 1 }), trigger_id: Type.String({ minLength: 1 }) }),
      response: { 204: Type.Null(), ...problems(404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await app.repos.triggers.remove(req.params.id, req.params.trigger_id);
    await app.triggers.sync(req.params.id);
    return reply.code(204).send(null);
  });
}
