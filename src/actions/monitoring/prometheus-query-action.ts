import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { httpAuth } from '../data/http-auth.js';
import { describeRequest, outbound } from '../http/http-client.js';
import { monitoringRequest, trimBase } from './monitoring-http.js';
import { parseQueryResult } from './prometheus-result.js';
import { bindQuery, QUERY_HINT, QueryParamsSchema } from './query-placeholders.js';
import { compare, ThresholdSchema } from './threshold.js';

const ID = 'prometheus_query';
const DEFAULT_TIMEOUT_SECONDS = 30;
// RFC 3339 or Unix seconds, as the HTTP API takes them.
const TIME = { pattern: '^(\\d+(\\.\\d+)?|\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d))$' };

const PrometheusQueryParams = Type.Object(
  {
    base_url: Type.String({ pattern: '^https?://', description: 'Prometheus (or a compatible API: Thanos, Mimir, VictoriaMetrics) URL, e.g. http://prometheus:9090' }),
    credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential, when the API is protected' })),
    query: Type.String({ minLength: 1, maxLength: 20000, description: 'PromQL expression. Values from the workflow go in query_params, as $name' }),
    query_params: QueryParamsSchema,
    range: Type.Optional(
      Type.Object(
        {
          start: Type.String({ ...TIME, description: 'RFC 3339 or Unix seconds' }),
          end: Type.String({ ...TIME, description: 'RFC 3339 or Unix seconds' }),
          step: Type.String({ pattern: '^(\\d+(\\.\\d+)?|(\\d+(ms|s|m|h|d|w|y))+)$', description: 'Resolution: seconds or a duration (15s, 1m)' }),
        },
        { additionalProperties: false, description: 'Evaluate over a range (/api/v1/query_range) instead of at one instant' },
      ),
    ),
    time: Type.Optional(Type.String({ ...TIME, description: 'Instant to evaluate at (instant queries). Default: now' })),
    threshold: Type.Optional(ThresholdSchema),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 300, default: DEFAULT_TIMEOUT_SECONDS, description: 'Also sent as the query timeout' })),
  },
  { additionalProperties: false },
);

const Value = Type.Union([Type.Number(), Type.Null()]);
const PrometheusQueryOutput = Type.Object({
  result_type: Type.String({ description: 'vector, matrix, scalar or string' }),
  series: Type.Array(
    Type.Object({
      metric: Type.Record(Type.String(), Type.String(), { description: 'Labels of the series' }),
      value: Value,
      values: Type.Optional(Type.Array(Type.Object({ time: Type.Number({ description: 'Unix seconds' }), value: Value }), { description: 'Range queries: every sample' })),
    }),
  ),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'The first series’ (latest) value; null when there is none, NaN or ±Inf' }),
  breached: Type.Union([Type.Boolean(), Type.Null()], { description: 'With a threshold: whether any series’ latest value compares true; null without one' }),
  warnings: Type.Array(Type.String()),
});

export const prometheusQueryAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Prometheus Query',
  description:
    'Runs a PromQL query against the Prometheus HTTP API, at an instant (/api/v1/query) or over a range (/api/v1/query_range), and returns the series. With a threshold, breached tells whether any series crosses it.',
  params: PrometheusQueryParams,
  codeParams: { query: QUERY_HINT },
  output: PrometheusQueryOutput,
  async run(ctx) {
    const p = ctx.params;
    if (p.range !== undefined && p.time !== undefined) throw invalidParam(ID, '/time', 'time is for instant queries; a range query takes range.start and range.end');
    const query = bindQuery(ID, p.query, p.query_params);
    const timeout = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    const form: Record<string, string> = { query, timeout: `${timeout}s`, ...(p.range ?? {}), ...(p.time ? { time: p.time } : {}) };
    const url = `${trimBase(p.base_url)}/api/v1/${p.range ? 'query_range' : 'query'}`;
    const auth = await httpAuth(ctx.credentials, p.credential_id);
    const res = await withSecretsMasked(Object.values(auth?.headers ?? {}), () =>
      monitoringRequest({
        label: 'Prometheus',
        prefix: 'prometheus',
        method: 'POST',
        url,
        // The form body keeps long queries out of URL length limits (documented for both endpoints).
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth?.headers },
        body: new URLSearchParams(form).toString(),
        credential: auth?.credential,
        timeoutMs: (timeout + 5) * 1000,
        io: outbound(ctx),
      }),
    );
    const result = parseQueryResult(res);
    const value = result.series[0]?.value ?? null;
    const t = p.threshold;
    const breached = t === undefined ? null : result.series.some((s) => s.value !== null && compare(s.value, t.op, t.value));
    for (const w of result.warnings) ctx.log.log('warn', `Prometheus warning: ${w}`);
    ctx.log.log(breached ? 'warn' : 'info', `${describeRequest('POST', url)}: ${result.result_type} with ${result.series.length} series${breached === null ? '' : breached ? ', threshold breached' : ', within threshold'}`);
    return { ...result, value, breached };
  },
  plan(ctx) {
    const p = ctx.params;
    const t = p.threshold ? ` (breach when ${p.threshold.op} ${p.threshold.value})` : '';
    return `query Prometheus at ${describeRequest('POST', `${trimBase(p.base_url)}/api/v1/${p.range ? 'query_range' : 'query'}`)}: ${p.query}${t}`;
  },
});
