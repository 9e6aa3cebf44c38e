import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ActionCatalog, ActionServices, AnyAction } from '../actions/define-action.js';
import { nodeCodeFields, type CodeField } from '../model/code-fields.js';
import type { NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const actionSpec: NodeTypeSpec = {
  type: 'action',
  label: 'Action',
  description: 'Runs an integration action from the catalogue (`action_type`) with its params.',
  configSchema: Type.Object(
    {
      action_type: Type.String({ minLength: 1 }),
      // An object holds the action's params; an array is a flat-form param of that name (the bound
      // values of query_database's `sql`).
      params: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())])),
    },
    { additionalProperties: true },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

/** The seed writes params flat beside `action_type`; `params: {...}` is the explicit form. */
export function actionParams(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const explicit = config['params'];
  if (explicit !== null && typeof explicit === 'object' && !Array.isArray(explicit)) return { ...(explicit as Record<string, unknown>) };
  const { action_type: _ignored, ...flat } = config;
  return flat;
}

/** The code params of the action a config names, where they sit in the config (model/code-fields.ts). */
export function actionCodeFields(config: Readonly<Record<string, unknown>>, action: AnyAction | undefined): CodeField[] {
  return nodeCodeFields(config, actionSpec, action?.codeParams);
}

export function actionNode(actions: ActionCatalog, services: ActionServices): NodeHandler {
  return {
    spec: actionSpec,
    inline: false,
    codeFields: (config) => actionCodeFields(config, actions.get(String(config['action_type']))),
    defaultRetry: (config) => actions.get(String(config['action_type']))?.retry,
    async run(ctx) {
      const id = String(ctx.config['action_type']);
      const action = actions.get(id);
      if (!action) throw new NonRetryableError('unknown_action', `action "${id}" is not in the catalogue`);
      // Templates resolve at run time, so the params are checked again with their real values.
      const params = Value.Default(action.params, actionParams(ctx.config));
      const first = Value.Errors(action.params, params).First();
      if (first) {
        throw new NonRetryableError('invalid_params', `action "${id}" param ${first.path || '/'}: ${first.message}`, {
          details: { path: first.path },
        });
      }
      const output = await action.run({ params, log: ctx.log, ...(ctx.output ? { output: ctx.output } : {}), signal: ctx.signal, idempotencyKey: ctx.idempotencyKey, credentials: ctx.credentials, services });
      for (const secret of action.secretOutput?.(output) ?? []) ctx.markSecret(secret);
      return { kind: 'done', output: output ?? null, handle: 'out' };
    },
  };
}
