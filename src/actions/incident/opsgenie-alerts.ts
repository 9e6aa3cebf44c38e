import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { asRecord, serviceError, servicePost, statusCode, stringField } from '../communication/service-http.js';
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
  readonly alias?: string | undefined;
  readonly description?: string | undefined;
  /** @default P3 (Opsgenie's) */
  readonly priority?: 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | undefined;
  readonly entity?: string | undefined;
  readonly tags?: readonly string[];
  readonly details?: Readonly<Record<string, string>>;
  /** Teams, users, escalations or schedules the alert is routed to (Alert API "Create Alert" `responders`). */
  readonly responders?: readonly OpsgenieResponder[] | undefined;
}

export interface OpsgenieResponder {
  readonly type: 'team' | 'user' | 'escalation' | 'schedule';
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  /** Users only: their e-mail login. */
  readonly username?: string | undefined;
}

function post(conn: OpsgenieConnection, path: string, body: unknown, io: Outbound): Promise<HttpResponse> {
  return servicePost({
    url: `${conn.baseUrl}${path}`,
    headers: { authorization: `GenieKey ${conn.apiKey}`, 'content-type': 'application/json' },
    body,
    ...io,
  });
}

/**
 * Alert API requests are asynchronous: 202 `{result, requestId}` means accepted, not yet processed.
 * A 422 names the failing fields in `errors` (`{"message": "Message can not be empty."}`): kept in the
 * step error, it is what tells the author which param to fix.
 */
function check(res: HttpResponse): string | undefined {
  if (res.status >= 200 && res.status < 300) return stringField(res.body, 'requestId');
  const errors = asRecord(asRecord(res.body)?.['errors']);
  const fields = errors === undefined ? [] : Object.entries(errors).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const detail = [stringField(res.body, 'message'), fields.join('; ')].filter((t) => t !== undefined && t !== '').join(' ');
  throw serviceError(res, { label: 'Opsgenie', code: statusCode('opsgenie', res.status), detail: detail || undefined });
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
export async function closeOpsgenieAlert(conn: OpsgenieConnection, alias: string, note: string | undefined, io: Outbound): Promise<string | undefined> {
  return alertAction(conn, alias, 'close', note, io);
}

/** POST /v2/alerts/{alias}/acknowledge?identifierType=alias (Alert API "Acknowledge Alert"). */
export async function acknowledgeOpsgenieAlert(conn: OpsgenieConnection, alias: string, note: string | undefined, io: Outbound): Promise<string | undefined> {
  return alertAction(conn, alias, 'acknowledge', note, io);
}

async function alertAction(conn: OpsgenieConnection, alias: string, action: 'close' | 'acknowledge', note: string | undefined, io: Outbound): Promise<string | undefined> {
  const path = `/v2/alerts/${encodeURIComponent(alias)}/${action}?identifierType=alias`;
  return check(await post(conn, path, { source: 'iTechSmart Workflow', ...(note === undefined ? {} : { note }) }, io));
}
