import { boundToOwnHost, serviceError, statusCode, stringField, asRecord } from '../communication/service-http.js';
import type { TicketConnection } from '../communication/ticket.js';
import { httpRequest, type Outbound } from '../http/http-client.js';

/** ServiceNow's out-of-box incident state for Resolved. */
const RESOLVED_STATE = '6';
// A resolved incident needs a close code (data policy on most instances); this one exists out of the box.
const CLOSE_CODE = 'Solution provided';

/** ServiceNow's out-of-box incident state In Progress: someone has taken it (its nearest to "acknowledged"). */
const IN_PROGRESS_STATE = '2';

/** Table API update: PATCH /api/now/table/incident/{sys_id} → 200 `{result: {...}}`. */
export async function resolveServiceNowIncident(conn: TicketConnection, sysId: string, notes: string, io: Outbound): Promise<void> {
  return patchServiceNowIncident(conn, sysId, { state: RESOLVED_STATE, close_code: CLOSE_CODE, close_notes: notes }, io);
}

/** Acknowledged here: the ticket moves to In Progress, with a work note saying why. */
export async function acknowledgeServiceNowIncident(conn: TicketConnection, sysId: string, notes: string, io: Outbound): Promise<void> {
  return patchServiceNowIncident(conn, sysId, { state: IN_PROGRESS_STATE, work_notes: notes }, io);
}

async function patchServiceNowIncident(conn: TicketConnection, sysId: string, body: Record<string, string>, io: Outbound): Promise<void> {
  const url = `${conn.baseUrl}/api/now/table/incident/${encodeURIComponent(sysId)}`;
  const res = await httpRequest({
    ...boundToOwnHost(url),
    method: 'PATCH',
    url,
    headers: { authorization: conn.authorization, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'iTechSmart-Workflow' },
    body,
    ...io,
    timeoutMs: 30_000,
    maxResponseBytes: 1024 * 1024,
  });
  if (res.status >= 200 && res.status < 300) return;
  const error = asRecord(asRecord(res.body)?.['error']);
  throw serviceError(res, { label: 'ServiceNow', code: statusCode('servicenow', res.status), detail: stringField(error, 'message') });
}
