import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../model/error-codes.js';
import { DefinitionInvalidError, ItwError } from '../model/errors.js';
import { nearestName } from '../model/nearest-name.js';
import { asDatabaseError } from '../store/database-errors.js';

/** One failing field or definition problem. `path` is a JSON pointer inside `in` (body by default). */
export interface ProblemItem {
  readonly path: string;
  readonly message: string;
  readonly in?: string;
  readonly code?: string;
  readonly node_ids?: readonly string[];
}

/** RFC 9457 problem details, plus our stable `code`. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly ProblemItem[];
}

/**
 * The only place error codes become HTTP status codes: every code has one (a missing entry fails
 * to compile). 500 entries answer as a generic `internal` problem, their message kept for the log.
 */
const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  // Module codes go first: where codes share a status, the last listed names Fastify's own errors of it.
  // The database is down (restart, failover) or full: the request may succeed later (Retry-After).
  database_unavailable: 503,
  insufficient_storage: 507,
  // The incident module (src/incidents/incident-errors.ts).
  incident_not_found: 404,
  escalation_policy_not_found: 404,
  incident_resolved: 409,
  invalid_incident: 400,
  invalid_policy: 400,
  invalid_alert: 400,
  validation: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  definition_invalid: 422,
  // Activation's preflight found blocking problems (errors: Problem[] of model/preflight).
  preflight_failed: 422,
  rate_limited: 429,
  unavailable: 503,
  // Listed last so that a 500 from Fastify is named `internal`.
  internal_error: 500,
  config_invalid: 500,
  data_dir_locked: 500,
  credential_undecryptable: 500,
  credential_type: 500,
  cancelled: 500,
  workflow_timeout: 500,
  internal: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable', 507: 'Insufficient Storage',
};

/** Fastify's own 4xx codes that have a clearer name of ours. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
};

export function problem(status: number, code: ErrorCode, detail: string, errors?: readonly ProblemItem[]): ProblemBody {
  return { type: `urn:itw:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors && errors.length > 0 ? { errors } : {}) };
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && ('statusCode' in err || 'validation' in err);
}

/** Ajv errors as field paths: a missing or unexpected property is named in the path itself. */
function validationItems(err: FastifyError): ProblemItem[] {
  const where = err.validationContext ?? 'body';
  const all = err.validation ?? [];
  // A union of constants fails once per branch (`const`) and once as a whole (`anyOf`): the whole says it best.
  const anyOfPaths = new Set(all.filter((v) => v.keyword === 'anyOf' && constants(v) !== undefined).map((v) => v.instancePath));
  const seen = new Set<string>();
  const items: ProblemItem[] = [];
  for (const v of all) {
    if (v.keyword === 'const' && anyOfPaths.has(v.instancePath)) continue;
    const p = v.params;
    const extra = typeof p['missingProperty'] === 'string' ? p['missingProperty'] : typeof p['additionalProperty'] === 'string' ? p['additionalProperty'] : undefined;
    const path = extra === undefined ? v.instancePath : `${v.instancePath}/${extra}`;
    if (seen.has(path)) continue;
    seen.add(path);
    items.push({ in: where, path, message: validationMessage(v, extra) });
  }
  return items;
}

type AjvError = NonNullable<FastifyError['validation']>[number] & { parentSchema?: unknown; schema?: unknown };

function constants(v: AjvError): string[] | undefined {
  const options = Array.isArray(v.schema) ? (v.schema as Array<{ const?: unknown }>) : [];
  return options.length > 0 && options.every((o) => o.const !== undefined) ? options.map((o) => String(o.const)) : undefined;
}

/** What to fix, in words: the allowed values of an enum, the property a typo meant. */
function validationMessage(v: AjvError, extra: string | undefined): string {
  switch (v.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((v.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const near = extra === undefined ? undefined : nearestName(extra, known);
      return near !== undefined ? `is not an allowed property: did you mean "${near}"?` : known.length > 0 ? `is not an allowed property (allowed: ${known.join(', ')})` : 'is not an allowed property';
    }
    case 'required':
      return 'is required';
    case 'enum': {
      const allowed = v.params['allowedValues'];
      return Array.isArray(allowed) ? `must be one of ${allowed.map(String).join(', ')}` : (v.message ?? 'is invalid');
    }
    case 'anyOf': {
      const allowed = constants(v);
      return allowed ? `must be one of ${allowed.join(', ')}` : (v.message ?? 'is invalid');
    }
    default:
      return v.message ?? 'is invalid';
  }
}

function detailsErrors(err: ItwError): ProblemItem[] | undefined {
  const errors = err.details?.['errors'];
  return Array.isArray(errors) ? (errors as ProblemItem[]) : undefined;
}

/** Maps anything thrown by a route or hook to a status and a problem body. Never leaks internals of a 5xx. */
export function toProblem(err: unknown): ProblemBody {
  if (err instanceof DefinitionInvalidError) {
    const errors = err.problems.map((p) => ({ path: p.path, code: p.code, message: p.message, ...(p.node_ids ? { node_ids: p.node_ids } : {}) }));
    return problem(422, 'definition_invalid', err.message, errors);
  }
  if (err instanceof ItwError && isErrorCode(err.code)) {
    const status = STATUS_BY_CODE[err.code];
    if (status !== 500) return problem(status, err.code, err.message, detailsErrors(err));
  }
  if (isFastifyError(err)) {
    if (err.validation) return problem(400, 'validation', `request ${err.validationContext ?? 'body'} is invalid`, validationItems(err));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[err.code] ?? STATUS_CODE_NAMES[status] ?? 'bad_request';
      if (code === 'unsupported_media_type') return problem(status, code, `${err.message}: send the body as JSON with the header Content-Type: application/json`);
      return problem(status, code, err.message);
    }
  }
  return problem(500, 'internal', 'the server failed to handle the request; details are in its log');
}

const STATUS_CODE_NAMES: Readonly<Record<number, ErrorCode>> = Object.fromEntries(ERROR_CODES.map((c) => [STATUS_BY_CODE[c], c]));

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** How the API learns about, and advertises, database outages (store/availability.ts). */
export interface DatabaseOutages {
  /** A route's error: true when it is the database being down or full (logged there once per change, not per request). */
  report(err: unknown): boolean;
  /** Seconds a client should wait before trying again. */
  readonly retryAfterSeconds: number;
}

/** Every error answer, unknown routes included, goes through here. */
export function installErrorHandling(f: FastifyInstance, outages?: DatabaseOutages): void {
  f.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    // Whatever the route, a connection refused by the database or a full disk is that, not a 500.
    const dbErr = asDatabaseError(err);
    const body = toProblem(dbErr ?? err);
    if (dbErr) {
      outages?.report(dbErr);
      void reply.header('retry-after', String(outages?.retryAfterSeconds ?? 1));
      request.log.debug({ code: body.code }, body.detail);
    } else if (body.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, body.detail);
    if (body.code === 'rate_limited' && err instanceof ItwError && typeof err.details?.['retry_after_s'] === 'number') {
      void reply.header('retry-after', String(err.details['retry_after_s']));
    }
    return sendProblem(reply, body);
  });
  f.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
