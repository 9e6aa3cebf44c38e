import type { Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from '../communication/service-http.js';
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
  /** Required to acknowledge or resolve; on a trigger without one PagerDuty makes one and returns it. */
  readonly dedup_key?: string | undefined;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: Severity;
    readonly timestamp?: string | undefined;
    readonly component?: string | undefined;
    readonly group?: string | undefined;
    readonly class?: string | undefined;
    readonly custom_details?: Readonly<Record<string, unknown>>;
  };
  readonly links?: readonly { readonly href: string; readonly text?: string | undefined }[] | undefined;
  readonly images?: readonly { readonly src: string; readonly href?: string | undefined; readonly alt?: string | undefined }[] | undefined;
}

export interface EnqueuedEvent {
  /** PagerDuty's `status`: `success`. */
  readonly status: string;
  readonly dedup_key: string;
}

/**
 * POST /v2/enqueue → 202 `{status, message, dedup_key}`. 400 is an invalid event (retrying sends the
 * same one); 429 and 5xx are worth retrying. Returns the dedup_key PagerDuty filed it under.
 */
export async function sendPagerDutyEvent(conn: PagerDutyConnection, event: PagerDutyEvent, io: Outbound): Promise<string> {
  return (await enqueuePagerDutyEvent(conn, event, io)).dedup_key;
}

/** As sendPagerDutyEvent, with PagerDuty's status too. */
export async function enqueuePagerDutyEvent(conn: PagerDutyConnection, event: PagerDutyEvent, io: Outbound): Promise<EnqueuedEvent> {
  const res = await servicePost({
    url: `${conn.baseUrl}/v2/enqueue`,
    headers: { 'content-type': 'application/json' },
    body: { routing_key: conn.routingKey, ...event, client: 'iTechSmart Workflow' },
    ...io,
  });
  if (res.status >= 200 && res.status < 300) {
    const dedupKey = stringField(res.body, 'dedup_key') ?? event.dedup_key;
    if (dedupKey === undefined) throw unexpectedResponse('PagerDuty', res, 'a dedup_key');
    return { status: stringField(res.body, 'status') ?? 'success', dedup_key: dedupKey };
  }
  const body = asRecord(res.body);
  const errors = Array.isArray(body?.['errors']) ? (body['errors'] as unknown[]).map(String).join('; ') : undefined;
  const message = stringField(body, 'message');
  throw serviceError(res, {
    label: 'PagerDuty',
    code: statusCode('pagerduty', res.status),
    detail: [message, errors].filter((s) => s !== undefined && s !== '').join(': ') || undefined,
  });
}
