import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { httpAuth } from '../data/http-auth.js';
import { describeRequest, outbound } from '../http/http-client.js';
import { monitoringRequest, trimBase } from './monitoring-http.js';
import { parseStreams } from './loki-streams.js';
import { bindQuery, QUERY_HINT, QueryParamsSchema } from './query-placeholders.js';

const ID = 'loki_query';
const DEFAULT_LIMIT = 100;
const DEFAULT_SINCE = '1h';
const DEFAULT_TIMEOUT_SECONDS = 30;
// Unix nanoseconds (Loki's native form) or RFC 3339.
const TIME = { pattern: '^(\\d{1,19}|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d))$' };

const LokiQueryParams = Type.Object(
  {
    base_url: Type.String({ pattern: '^https?://', description: 'Loki URL, e.g. http://loki:3100' }),
    credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential, when Loki is behind auth' })),
    tenant: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9!._*'()|-]{1,150}$", description: 'Tenant (X-Scope-OrgID) of a multi-tenant Loki' })),
    query: Type.String({ minLength: 1, maxLength: 20000, description: 'LogQL log query, e.g. {app="api"} |= "error". Values from the workflow go in query_params, as $name' }),
    query_params: QueryParamsSchema,
    start: Type.Optional(Type.String({ ...TIME, description: 'Unix nanoseconds or RFC 3339. Default: end minus since' })),
    end: Type.Optional(Type.String({ ...TIME, description: 'Unix nanoseconds or RFC 3339. Default: now' })),
    since: Type.Optional(Type.String({ pattern: '^(\\d+(ms|s|m|h|d|w))+$', default: DEFAULT_SINCE, description: 'Without start: how far back from end (5m, 1h, 2d). Default 1h' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: DEFAULT_LIMIT, description: 'Most lines to return. Default 100' })),
    direction: Type.Optional(Type.Union([Type.Literal('backward'), Type.Literal('forward')], { default: 'backward', description: 'backward: newest first (default); forward: oldest first' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 300, default: DEFAULT_TIMEOUT_SECONDS })),
  },
  { additionalProperties: false },
);

const LokiQueryOutput = Type.Object({
  lines: Type.Array(
    Type.Object({
      timestamp: Type.String({ description: 'RFC 3339, nanoseconds' }),
      timestamp_ns: Type.String({ description: 'Unix nanoseconds' }),
      labels: Type.Record(Type.String(), Type.String()),
      line: Type.String(),
    }),
  ),
  count: Type.Integer(),
});

export const lokiQueryAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Loki Query',
  description: 'Fetches log lines from Grafana Loki for a LogQL query over a time range (GET /loki/api/v1/query_range), newest or oldest first, with their labels.',
  params: LokiQueryParams,
  codeParams: { query: QUERY_HINT },
  output: LokiQueryOutput,
  async run(ctx) {
    const p = ctx.params;
    const direction = p.direction ?? 'backward';
    const query: Record<string, string | number> = {
      query: bindQuery(ID, p.query, p.query_params),
      limit: p.limit ?? DEFAULT_LIMIT,
      direction,
      ...(p.start ? { start: p.start } : { since: p.since ?? DEFAULT_SINCE }),
      ...(p.end ? { end: p.end } : {}),
    };
    const auth = await httpAuth(ctx.credentials, p.credential_id);
    const url = `${trimBase(p.base_url)}/loki/api/v1/query_range`;
    const res = await withSecretsMasked(Object.values(auth?.headers ?? {}), () =>
      monitoringRequest({
        label: 'Loki',
        prefix: 'loki',
        method: 'GET',
        url,
        query,
        headers: { ...(p.tenant ? { 'x-scope-orgid': p.tenant } : {}), ...auth?.headers },
        credential: auth?.credential,
        timeoutMs: (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        io: outbound(ctx),
      }),
    );
    const lines = parseStreams(ID, res, direction);
    ctx.log.log('info', `${describeRequest('GET', url)}: ${lines.length} line(s)`, { count: lines.length });
    return { lines, count: lines.length };
  },
  plan(ctx) {
    const p = ctx.params;
    return `fetch up to ${p.limit ?? DEFAULT_LIMIT} log lines from ${describeRequest('GET', `${trimBase(p.base_url)}/loki/api/v1/query_range`)}${p.tenant ? ` (tenant ${p.tenant})` : ''}: ${p.query}`;
  },
});
