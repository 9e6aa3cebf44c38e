import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { asRecord, serviceCall, serviceError, statusCode, stringField, unexpectedResponse } from '../communication/service-http.js';
import type { Outbound } from '../http/http-client.js';

const DEFAULT_BASE_URL = 'https://api.statuspage.io';

export interface StatuspageConnection {
  readonly baseUrl: string;
  readonly apiKey: string;
}

export function statuspageConnection(cred: ResolvedCredential): StatuspageConnection {
  return { baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL), apiKey: requiredField(cred, 'api_key') };
}

/** The `incident` object of the Statuspage REST API v1 (create and update take the same fields). */
export interface StatuspageIncidentFields {
  readonly name?: string | undefined;
  readonly status?: string | undefined;
  readonly body?: string | undefined;
  readonly impact_override?: string | undefined;
  readonly component_ids?: readonly string[] | undefined;
  /** component id → its new status (operational, degraded_performance, partial_outage, major_outage, under_maintenance). */
  readonly components?: Readonly<Record<string, string>> | undefined;
  readonly deliver_notifications?: boolean | undefined;
}

export interface StatuspageIncident {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly shortlink: string | undefined;
}

/** `{"error": "..."}` or `{"error": ["Name can't be blank", ...]}`. */
function describeError(body: unknown): string | undefined {
  const error = asRecord(body)?.['error'];
  if (Array.isArray(error)) return error.map(String).join('; ');
  return typeof error === 'string' ? error : stringField(body, 'message');
}

/**
 * POST /v1/pages/{page_id}/incidents (create) or PATCH .../incidents/{id} (update), `Authorization:
 * OAuth <key>`. Statuspage throttles with 420 or 429 (about one request a second per key): both retryable.
 */
export async function saveStatuspageIncident(
  conn: StatuspageConnection, pageId: string, incidentId: string | undefined, fields: StatuspageIncidentFields, io: Outbound,
): Promise<StatuspageIncident> {
  const base = `${conn.baseUrl}/v1/pages/${encodeURIComponent(pageId)}/incidents`;
  const res = await serviceCall(incidentId === undefined ? 'POST' : 'PATCH', {
    url: incidentId === undefined ? base : `${base}/${encodeURIComponent(incidentId)}`,
    headers: { authorization: `OAuth ${conn.apiKey}`, 'content-type': 'application/json' },
    body: { incident: fields },
    ...io,
  });
  if (res.status >= 200 && res.status < 300) {
    const id = stringField(res.body, 'id');
    const status = stringField(res.body, 'status');
    if (id === undefined || status === undefined) throw unexpectedResponse('Statuspage', res, 'the incident id and status');
    return { id, status, name: stringField(res.body, 'name') ?? fields.name ?? '', shortlink: stringField(res.body, 'shortlink') };
  }
  const throttled = res.status === 420 || res.status === 429;
  throw serviceError(res, {
    label: 'Statuspage',
    code: throttled ? 'statuspage_rate_limited' : statusCode('statuspage', res.status),
    detail: describeError(res.body),
    ...(throttled ? { retryable: true } : {}),
  });
}
