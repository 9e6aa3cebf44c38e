// Test support: params as the action node hands them to run() (src/nodes/action.ts): defaults
// applied, then checked against the action's schema, failing with the node's invalid_params.
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { NonRetryableError } from '../../src/model/errors.js';

export function nodeParams<P>(action: { readonly id: string; readonly params: TSchema }, params: P): P {
  const withDefaults = Value.Default(action.params, Value.Clone(params)) as P;
  const first = Value.Errors(action.params, withDefaults).First();
  if (first) throw new NonRetryableError('invalid_params', `action "${action.id}" param ${first.path || '/'}: ${first.message}`, { details: { path: first.path } });
  return withDefaults;
}
