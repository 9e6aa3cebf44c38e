import { Type, type Static } from '@sinclair/typebox';
import type { ExecutionResult } from '../../engine/engine.js';
import type { ExecutionRecord } from '../../engine/store-port.js';
import { ItwError } from '../../model/errors.js';
import { composeJsonText } from '../../model/json-text.js';
import { authProblems, IngressAuthSchema, inputHeaders, normalPath, parseBody, PathSchema, verifyAuth } from '../ingress.js';
import { allowedResponseHeaders } from '../ingress-response-headers.js';
import { NO_HANDLE, type IngressRequest, type IngressResponse, type IngressTarget, type Fired, type TriggerSource } from '../trigger-source.js';
import { heldResponse } from '../held-firing.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*'] as const;

export const WebhookConfigSchema = Type.Object({
  /** Served at /webhooks/{path}. */
  path: PathSchema,
  /** Methods accepted; `*` is any. */
  methods: Type.Array(Type.Union(METHODS.map((m) => Type.Literal(m))), { minItems: 1, default: ['POST'] }),
  /** Required: `none` must be chosen explicitly. */
  auth: Type.Optional(IngressAuthSchema),
  /** Header holding the delivery id (idempotency key). @default the first of x-delivery-id, idempotency-key, x-github-delivery, x-gitlab-event-uuid (x-gitlab-webhook-uuid changes on every retry) */
  delivery_header: Type.Optional(Type.String({ minLength: 1 })),
  response: Type.Object({
    /** `accepted`: 202 with the execution id at once; `result`: wait for the workflow and answer with its output. */
    mode: Type.Union([Type.Literal('accepted'), Type.Literal('result')], { default: 'accepted' }),
    /** result: how long to wait before answering 202 with the execution id instead. */
    timeout_seconds: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 30 }),
    /** result: the node whose output is the answer. @default the execution's output */
    node_id: Type.Optional(Type.String({ minLength: 1 })),
    /** result: `body` sends the output as JSON; `http` reads `{status, headers, body}` from it. */
    shape: Type.Union([Type.Literal('body'), Type.Literal('http')], { default: 'body' }),
  }, { default: {} }),
});
export type WebhookConfig = Static<typeof WebhookConfigSchema>;

const DELIVERY_HEADERS = ['x-delivery-id', 'idempotency-key', 'x-github-delivery', 'x-gitlab-event-uuid'];

export function deliveryId(req: IngressRequest, header: string | undefined): string | null {
  for (const h of header !== undefined ? [header.toLowerCase()] : DELIVERY_HEADERS) {
    const v = req.headers[h];
    if (v !== undefined && v !== '') return v;
  }
  return null;
}

/** What a finished (or still running) execution answers in `result` mode. */
export async function resultResponse(
  target: IngressTarget, fired: Extract<Fired, { execution: ExecutionRecord }>, timeoutSeconds: number, nodeId: string | undefined, shape: 'body' | 'http',
): Promise<IngressResponse> {
  const { execution } = fired;
  const waited = fired.result ? fired.result(nodeId) : target.ctx.waitForResult(execution.id, nodeId);
  // No timer for a result already at hand (an inline workflow's, answered in the same request).
  const result = waited instanceof Promise ? await bounded(waited, timeoutSeconds) : waited;
  const headers = { 'x-itw-execution-id': execution.id };
  if (!result) return { status: 202, headers, body: { execution_id: execution.id, status: 'running', detail: `no result within ${timeoutSeconds}s` } };
  const { execution: final, output } = result;
  if (final.status !== 'completed') {
    return { status: 502, headers, body: { execution_id: final.id, status: final.status, error: final.error } };
  }
  if (shape === 'http' && typeof output === 'object' && output !== null) {
    const o = output as { status?: unknown; headers?: unknown; body?: unknown };
    const status = typeof o.status === 'number' && o.status >= 200 && o.status <= 599 ? o.status : 200;
    const asked = typeof o.headers === 'object' && o.headers !== null ? Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k, String(v)])) : {};
    // No cookies, CSP/CORS/framing headers or malformed values from a workflow: the answer comes from the UI's origin.
    const { kept } = allowedResponseHeaders(asked);
    return { status, headers: { ...kept, ...headers }, body: o.body ?? null };
  }
  return { status: 200, headers, body: output ?? null };
}

async function bounded(waited: Promise<ExecutionResult>, seconds: number): Promise<ExecutionResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), seconds * 1000)));
  try {
    return await Promise.race([waited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Generic HTTP webhooks: /webhooks/{path}, one trigger per method and path. */
export const webhookSource: TriggerSource = {
  type: 'webhook',
  configSchema: WebhookConfigSchema,
  check: (config) => authProblems((config as WebhookConfig).auth),
  routeKeys: (config) => {
    const c = config as WebhookConfig;
    return { keys: c.methods.map((m) => `${m} ${normalPath(c.path)}`), exclusive: true };
  },
  start: () => Promise.resolve(NO_HANDLE),
  async handle(req, targets) {
    const target = targets[0];
    if (!target) throw new ItwError('not_found', `no webhook at ${req.path}`);
    const c = target.binding.config as WebhookConfig;
    // check() refused a config without auth: a binding that runs has one.
    const auth = c.auth!;
    verifyAuth(auth, req, target.ctx.clock.now(), (key, until) => target.ctx.firstSeen(key, until));
    const body = parseBody(req, true);
    const input = { body, headers: inputHeaders(req, auth.mode === 'header' ? [auth.header] : []), query: req.query, method: req.method, path: req.path };
    // Stored as input_data: with the body's own text, not serialised again (json-text.ts).
    composeJsonText(input);
    const fired = await target.ctx.fire({ input, key: deliveryId(req, c.delivery_header), awaitResult: c.response.mode === 'result' });
    if (!fired.execution) return heldResponse(fired);
    if (c.response.mode === 'result') return resultResponse(target, fired, c.response.timeout_seconds, c.response.node_id, c.response.shape);
    return {
      status: fired.duplicate ? 200 : 202,
      headers: { 'x-itw-execution-id': fired.execution.id },
      body: { execution_id: fired.execution.id, status: fired.execution.status, duplicate: fired.duplicate },
    };
  },
};
