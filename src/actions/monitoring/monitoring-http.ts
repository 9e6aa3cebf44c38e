import type { CredentialBinding } from '../http/credential-binding.js';
import { httpRequest, type HttpResponse, type Outbound } from '../http/http-client.js';
import { asRecord, serviceError, statusCode, stringField } from '../communication/service-http.js';

const USER_AGENT = 'iTechSmart-Workflow';
const MAX_DETAIL_CHARS = 300;
/** Query answers can be large (a range over many series); bigger means the query should be narrowed. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface MonitoringRequest {
  /** For messages: `Prometheus`, `Alertmanager`... */
  readonly label: string;
  /** Error code prefix: `prometheus` → `prometheus_invalid`, `_auth`... */
  readonly prefix: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly query?: Record<string, string | number>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** The credential whose secret is in `headers`: the request and each redirect may go to its hosts only. */
  readonly credential?: CredentialBinding | undefined;
  readonly timeoutMs: number;
  readonly io: Outbound;
}

/** What the service said about a failure: Prometheus/Loki `error`, Grafana/Alertmanager `message`, or the start of a text body. */
function detailOf(body: unknown): string | undefined {
  const text = typeof body === 'string' ? body.trim() : (stringField(body, 'error') ?? stringField(body, 'message') ?? (asRecord(body) ? undefined : JSON.stringify(body)));
  if (!text) return undefined;
  return text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS)}…` : text;
}

/** One call to a monitoring API; a non-2xx answer fails with `<prefix>_<kind>` (429/5xx retryable, with Retry-After). */
export async function monitoringRequest(req: MonitoringRequest): Promise<HttpResponse> {
  const res = await httpRequest({
    method: req.method,
    url: req.url,
    ...(req.query ? { query: req.query } : {}),
    headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...req.headers },
    body: req.body,
    timeoutMs: req.timeoutMs,
    signal: req.io.signal,
    egress: req.io.egress,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    ...(req.credential ? { credential: req.credential } : {}),
  });
  if (res.status >= 200 && res.status < 300) return res;
  throw serviceError(res, { label: req.label, code: statusCode(req.prefix, res.status), detail: detailOf(res.body) });
}

/** `https://host/prefix/` → `https://host/prefix`, so `${base}/api/...` keeps a path prefix (a reverse proxy's). */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
