import type { TSchema } from '@sinclair/typebox';
import type { ActionCatalog, AnyAction } from './define-action.js';
import { httpRequestAction } from './http/http-request-action.js';
import { logAction } from './log/log-action.js';

/** Every built-in action, keyed by id (`config.action_type`). New integrations register here. */
export function builtinActions(): ActionCatalog {
  const actions: readonly AnyAction[] = [httpRequestAction, logAction];
  return new Map(actions.map((a) => [a.id, a]));
}

export interface ActionSummary {
  readonly id: string;
  readonly name: string;
  readonly category: AnyAction['category'];
  readonly description: string;
  /** JSON Schema of the params (what the editor renders a form from). */
  readonly params: unknown;
  readonly output: unknown;
}

/**
 * TypeBox schemas carry symbol-keyed metadata (`[Kind]`) that JSON.stringify drops anyway;
 * a JSON round trip gives the API the plain JSON Schema without them.
 */
function toJsonSchema(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}

export function actionSummary(a: AnyAction): ActionSummary {
  return {
    id: a.id,
    name: a.name,
    category: a.category,
    description: a.description,
    params: toJsonSchema(a.params),
    output: toJsonSchema(a.output),
  };
}
