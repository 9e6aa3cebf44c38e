import { NonRetryableError } from '../../model/errors.js';
import type { HttpResponse } from '../http/http-client.js';
import { asRecord } from '../communication/service-http.js';

export interface Sample {
  readonly time: number;
  /** null for NaN and ±Inf, which JSON cannot carry. */
  readonly value: number | null;
}

export interface Series {
  readonly metric: Record<string, string>;
  /** The instant value (vector, scalar) or the last sample of a range. */
  readonly value: number | null;
  /** Every sample of a range query (matrix). */
  readonly values?: Sample[];
}

export interface QueryResult {
  readonly result_type: string;
  readonly series: Series[];
  readonly warnings: string[];
}

function number(raw: unknown): number | null {
  const n = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  return Number.isFinite(n) ? n : null;
}

function sample(pair: unknown): Sample {
  const [time, value]: unknown[] = Array.isArray(pair) ? (pair as unknown[]) : [];
  return { time: Number(time), value: number(value) };
}

function labels(metric: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(metric) ?? {}).map(([k, v]) => [k, String(v)]));
}

function invalid(res: HttpResponse, what: string): NonRetryableError {
  return new NonRetryableError('invalid_response', `Prometheus answered HTTP ${res.status} without ${what}`, { details: { status: res.status } });
}

/** The `data` of a `{status:"success", data:{resultType, result}}` answer, one shape for all result types. */
export function parseQueryResult(res: HttpResponse): QueryResult {
  const body = asRecord(res.body);
  const data = asRecord(body?.['data']);
  const resultType = data?.['resultType'];
  const result = data?.['result'];
  if (body?.['status'] !== 'success' || typeof resultType !== 'string') throw invalid(res, 'status "success" and data.resultType');
  const warnings = Array.isArray(body['warnings']) ? body['warnings'].map(String) : [];
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) throw invalid(res, 'a result list');
      return { result_type: resultType, warnings, series: result.map((r) => ({ metric: labels(asRecord(r)?.['metric']), value: sample(asRecord(r)?.['value']).value })) };
    case 'matrix':
      if (!Array.isArray(result)) throw invalid(res, 'a result list');
      return {
        result_type: resultType,
        warnings,
        series: result.map((r) => {
          const values = (Array.isArray(asRecord(r)?.['values']) ? (asRecord(r)!['values'] as unknown[]) : []).map(sample);
          return { metric: labels(asRecord(r)?.['metric']), value: values.at(-1)?.value ?? null, values };
        }),
      };
    case 'scalar':
      return { result_type: resultType, warnings, series: [{ metric: {}, value: sample(result).value }] };
    case 'string':
      // A string result has no number; its text is kept as the one label.
      return { result_type: resultType, warnings, series: [{ metric: { value: String((Array.isArray(result) ? result[1] : '') ?? '') }, value: null }] };
    default:
      throw invalid(res, `a known resultType (got ${resultType})`);
  }
}
