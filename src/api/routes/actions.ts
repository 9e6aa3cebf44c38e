import { Type } from '@sinclair/typebox';
import { actionSummary } from '../../actions/catalog.js';
import { ACTION_CATEGORIES } from '../../actions/define-action.js';
import { NotFoundError } from '../../model/errors.js';
import { IdParams, problems, stringEnum } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['actions'];

const ActionSchema = Type.Object(
  {
    id: Type.String(), name: Type.String(), category: Type.String(), description: Type.String(),
    params: Type.Unknown({ description: 'JSON Schema of the params' }), output: Type.Unknown({ description: 'JSON Schema of the output' }),
  },
  { additionalProperties: true },
);

export function actionRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/actions', {
    schema: {
      tags, summary: 'The integration actions catalogue, each with its params JSON Schema',
      querystring: Type.Object({ category: Type.Optional(stringEnum(ACTION_CATEGORIES)) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ActionSchema) }), ...problems(400) },
    },
    config: { minRole: 'viewer' },
  }, (req) => {
    const all = [...app.actions.values()].map(actionSummary).sort((a, b) => a.id.localeCompare(b.id));
    return Promise.resolve({ items: req.query.category ? all.filter((a) => a.category === req.query.category) : all });
  });

  f.get('/automation/actions/:id', {
    schema: { tags, summary: 'One action', params: IdParams, response: { 200: ActionSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, (req) => {
    const action = app.actions.get(req.params.id);
    if (!action) throw new NotFoundError('action', req.params.id);
    return Promise.resolve(actionSummary(action));
  });
}
