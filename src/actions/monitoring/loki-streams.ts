import { NonRetryableError } from '../../model/errors.js';
import type { HttpResponse } from '../http/http-client.js';
import { asRecord } from '../communication/service-http.js';
import { invalidParam } from '../communication/invalid-param.js';

export interface LogLine {
  /** RFC 3339 with nanoseconds kept as Loki sent them. */
  readonly timestamp: string;
  /** Unix nanoseconds as a string: too big for a JSON number. */
  readonly timestamp_ns: string;
  readonly labels: Record<string, string>;
  readonly line: string;
}

function iso(ns: string): string {
  const ms = Number(BigInt(ns) / 1_000_000n);
  const frac = ns.padStart(10, '0').slice(-9);
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

/** Lines of a `resultType: "streams"` answer, every stream merged, in `direction` order. */
export function parseStreams(actionId: string, res: HttpResponse, direction: 'forward' | 'backward'): LogLine[] {
  const body = asRecord(res.body);
  const data = asRecord(body?.['data']);
  if (body?.['status'] !== 'success' || !Array.isArray(data?.['result'])) {
    throw new NonRetryableError('invalid_response', `Loki answered HTTP ${res.status} without status "success" and data.result`, { details: { status: res.status } });
  }
  if (data['resultType'] !== 'streams') throw invalidParam(actionId, '/query', `is a metric query (Loki answered ${String(data['resultType'])}); loki_query returns log lines: use a log query`);
  const lines: LogLine[] = [];
  for (const stream of data['result'] as unknown[]) {
    const s = asRecord(stream);
    const labels = Object.fromEntries(Object.entries(asRecord(s?.['stream']) ?? {}).map(([k, v]) => [k, String(v)]));
    for (const entry of Array.isArray(s?.['values']) ? (s['values'] as unknown[]) : []) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !/^\d+$/.test(entry[0])) continue;
      lines.push({ timestamp: iso(entry[0]), timestamp_ns: entry[0], labels, line: String(entry[1] ?? '') });
    }
  }
  const sign = direction === 'forward' ? 1 : -1;
  return lines.sort((a, b) => sign * (BigInt(a.timestamp_ns) < BigInt(b.timestamp_ns) ? -1 : BigInt(a.timestamp_ns) > BigInt(b.timestamp_ns) ? 1 : 0));
}
