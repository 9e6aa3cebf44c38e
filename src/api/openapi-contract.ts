import { ProblemSchema } from './schemas/common.js';
import { OPERATION_IDS } from './operation-ids.js';

/**
 * Finishes the generated OpenAPI document into a contract that standard tools accept
 * (`redocly lint` recommended rules, openapi-typescript): stable operation ids, the problem+json
 * answers every operation can give, real names for wildcard path parameters, and a server.
 * It runs once, on the document @fastify/swagger builds from the route schemas.
 */

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  parameters?: Array<{ in?: string; name?: string; description?: string; schema?: unknown; required?: boolean }>;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}
type PathItem = Record<string, Operation>;
export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers?: Array<{ url: string; description?: string }>;
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const STATUS_TEXT: Readonly<Record<string, string>> = {
  400: 'Bad request: a field is missing or invalid (the problem names it)',
  401: 'No valid credentials',
  403: 'The caller\'s role does not allow this',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Too large',
  415: 'Unsupported content type',
  422: 'The definition is not a valid workflow',
  429: 'Too many requests: retry after the Retry-After header',
  503: 'Unavailable: retry after the Retry-After header',
  507: 'The database has no space left',
};

/** A wildcard ingress route's rest-of-path parameter, as the trigger registers it. */
const WILDCARD_PARAMETER = {
  in: 'path', name: 'path', required: true, schema: { type: 'string' },
  description: 'the path after the prefix, as the trigger registered it (may contain slashes)',
};

function problemResponse(status: string): unknown {
  return {
    description: STATUS_TEXT[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

/** A fallback for routes not in OPERATION_IDS: `postAutomationWorkflowsIdExecute`. The test requires the table. */
function derivedOperationId(method: string, path: string): string {
  const words = path.split('/').filter(Boolean).map((s) => s.replace(/[{}*]/g, '')).flatMap((s) => s.split(/[-_]/));
  return method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function isProblem(response: unknown): boolean {
  const content = (response as { content?: Record<string, { schema?: { description?: string } }> } | undefined)?.content;
  return Object.values(content ?? {}).some((c) => c.schema?.description === ProblemSchema.description);
}

/** The error answers an operation can give beyond those its route documents. */
function impliedProblems(path: string, op: Operation): string[] {
  const out: string[] = [];
  const hasInput = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
  if (hasInput) out.push('400');
  if (op.security === undefined || op.security.length > 0) out.push('401', '403');
  if (path.includes('{')) out.push('404');
  out.push('503');
  return out;
}

export function finishOpenApiDocument(doc: OpenApiDocument, serverUrl: string): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const [rawPath, item] of Object.entries(doc.paths)) {
    const path = rawPath.replace('{*}', '{path}');
    const finished: PathItem = {};
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) {
        finished[method] = op;
        continue;
      }
      const parameters = (op.parameters ?? []).map((p) => (p.in === 'path' && p.name === '*' ? WILDCARD_PARAMETER : p));
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) responses[status] = isProblem(r) ? problemResponse(status) : r;
      for (const status of impliedProblems(path, { ...op, parameters })) responses[status] ??= problemResponse(status);
      finished[method] = {
        ...op,
        operationId: OPERATION_IDS[`${method.toUpperCase()} ${path}`] ?? derivedOperationId(method, path),
        ...(parameters.length > 0 ? { parameters } : {}),
        responses,
      };
    }
    paths[path] = finished;
  }
  return {
    ...doc,
    info: { ...doc.info, license: { name: 'UNLICENSED' } },
    servers: [{ url: serverUrl, description: 'this server (ITW_PUBLIC_URL, or where it listens)' }],
    paths,
    components: { ...doc.components, schemas: { ...doc.components?.schemas, Problem: ProblemSchema } },
  };
}
