import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { serviceError, servicePost, statusCode, stringField } from '../communication/service-http.js';
import type { HttpResponse, Outbound } from '../http/http-client.js';

const DEFAULT_BASE_URL = 'https://api.opsgenie.com';
/** Opsgenie's documented field limits; longer values are refused with 422. */
const MESSAGE_MAX = 130;
const DESCRIPTION_MAX = 15_000;

export interface OpsgenieConnection {
  readonly baseUrl: string;
  readonly apiKey: string;
}

export function opsgenieConnection(cred: ResolvedCredential): OpsgenieConnection {
  return { baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL), apiKey: requiredField(cred, 'api_key') };
}

export interface OpsgenieAlert {
  readonly message: string;
  /** Opsgenie deduplicates open alerts by alias, as PagerDuty does by dedup_key. */
  readonly alias: string;
  readonly description?: string | undefined;
  readonly priority: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  readonly tags?: readonly string[];
  readonly details?: Readonly<Record<string, string>>;
}

function post(conn: OpsgenieConnection, path: string, body: unknown, io: Outbound): Promise<HttpResponse> {
  return servicePost({
    url: `${conn.baseUrl}${path}`,
    headers: { authorization: `GenieKey ${conn.apiKey}`, 'content-type': 'application/json' },
    body,
    ...io,
  });
}

/** Alert API requests are asynchronous: 202 `{result, requestId}` means accepted, not yet processed. */
function check(res: HttpResponse): string | undefined {
  if (res.status >= 200 && res.status < 300) return stringField(res.body, 'requestId');
  throw serviceError(res, { label: 'Opsgenie', code: statusCode('opsgenie', res.status), detail: stringField(res.body, 'message') });
}

/** POST /v2/alerts; returns the request id. */
export async function createOpsgenieAlert(conn: OpsgenieConnection, alert: OpsgenieAlert, io: Outbound): Promise<string | undefined> {
  const body = {
    ...alert,
    message: alert.message.slice(0, MESSAGE_MAX),
    description: alert.description?.slice(0, DESCRIPTION_MAX),
    source: 'iTechSmart Workflow',
  };
  return check(await post(conn, '/v2/alerts', body, io));
}

/** POST /v2/alerts/{alias}/close?identifierType=alias. */
export async function closeOpsgenieAlert(conn: OpsgenieConnection, alias: string, note: string | undefined, io: Outbound): Promise<void> {
  const path = `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`;
  check(await post(conn, path, { source: 'iTechSmart Workflow', ...(note === undefined ? {} : { note }) }, io));
}
