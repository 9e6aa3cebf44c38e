import { Type, type Static } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { ROLES, roleAtLeast, type Role } from '../../model/roles.js';
import { inputHeaders, normalPath, parseBody, PathSchema } from '../ingress.js';
import { NO_HANDLE, type TriggerSource } from '../trigger-source.js';
import { heldResponse } from '../held-firing.js';
import { resultResponse } from './webhook.js';

export const ApiEndpointConfigSchema = Type.Object({
  /** Served at /api/custom/{path}. */
  path: PathSchema,
  method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)), { default: 'POST' }),
  /** The weakest API-key role that may call it. */
  min_role: Type.Union(ROLES.map((r) => Type.Literal(r)), { default: 'operator' }),
  timeout_seconds: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 30 }),
  /** The node whose output is the answer. @default the execution's output */
  response_node_id: Type.Optional(Type.String({ minLength: 1 })),
  /** `body` sends the output as JSON; `http` reads `{status, headers, body}` from it. */
  response_shape: Type.Union([Type.Literal('body'), Type.Literal('http')], { default: 'body' }),
});
export type ApiEndpointConfig = Static<typeof ApiEndpointConfigSchema>;

/** A workflow as an API: /api/custom/{path} runs it synchronously for an authenticated caller. */
export const apiEndpointSource: TriggerSource = {
  type: 'api_endpoint',
  configSchema: ApiEndpointConfigSchema,
  routeKeys: (config) => {
    const c = config as ApiEndpointConfig;
    return { keys: [`${c.method} ${normalPath(c.path)}`], exclusive: true };
  },
  start: () => Promise.resolve(NO_HANDLE),
  async handle(req, targets) {
    const target = targets[0];
    if (!target) throw new ItwError('not_found', `no custom endpoint ${req.method} ${req.path}`);
    const c = target.binding.config as ApiEndpointConfig;
    const caller = req.principal;
    if (!caller) throw new ItwError('unauthorized', 'credentials required');
    if (!roleAtLeast(caller.role as Role, c.min_role)) throw new ItwError('forbidden', `this endpoint needs the ${c.min_role} role or stronger; you have ${caller.role}`);
    const input = {
      body: parseBody(req), query: req.query, headers: inputHeaders(req), method: req.method, path: req.path,
      caller: { id: caller.id, name: caller.name, role: caller.role },
    };
    const key = req.headers['idempotency-key'];
    const fired = await target.ctx.fire({ input, key: key !== undefined && key !== '' ? `${caller.id}:${key}` : null, awaitResult: true });
    if (!fired.execution) return heldResponse(fired);
    return resultResponse(target, fired, c.timeout_seconds, c.response_node_id, c.response_shape);
  },
};
