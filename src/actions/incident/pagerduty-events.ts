import type { Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { asRecord, serviceError, servicePost, statusCode, stringField } from '../communication/service-http.js';
import type { Severity } from '../../incidents/incident-types.js';

const DEFAULT_BASE_URL = 'https://events.pagerduty.com';

export interface PagerDutyConnection {
  readonly baseUrl: string;
  readonly routingKey: string;
}

export function pagerDutyConnection(cred: ResolvedCredential): PagerDutyConnection {
  return { baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL), routingKey: requiredField(cred, 'routing_key') };
}

/** Events API v2: `payload` is required to trigger and ignored to acknowledge or resolve. */
export interface PagerDutyEvent {
  readonly event_action: 'trigger' | 'acknowledge' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: Severity;
    readonly component?: string | undefined;
    readonly custom_details?: Readonly<Record<string, unknown>>;
  };
}

/**
 * POST /v2/enqueue → 202 `{status, message, dedup_key}`. 400 is an invalid event (retrying sends the
 * same one); 429 and 5xx are worth retrying. Returns the dedup_key PagerDuty filed it under.
 */
export async function sendPagerDutyEvent(conn: PagerDutyConnection, event: PagerDutyEvent, io: Outbound): Promise<string> {
  const res = await servicePost({
    url: `${conn.baseUrl}/v2/enqueue`,
    headers: { 'content-type': 'application/json' },
    body: { routing_key: conn.routingKey, ...event, client: 'iTechSmart Workflow' },
    ...io,
  });
  if (res.status >= 200 && res.status < 300) return stringField(res.body, 'dedup_key') ?? event.dedup_key;
  const body = asRecord(res.body);
  const errors = Array.isArray(body?.['errors']) ? (body['errors'] as unknown[]).map(String).join('; ') : undefined;
  const message = stringField(body, 'message');
  throw serviceError(res, {
    label: 'PagerDuty',
    code: statusCode('pagerduty', res.status),
    detail: [message, errors].filter((s) => s !== undefined && s !== '').join(': ') || undefined,
  });
}
