import type { Outbound } from '../http/http-client.js';
import { asRecord, serviceCall, serviceError, statusCode, stringField, unexpectedResponse } from './service-http.js';
import type { TicketConnection } from './ticket.js';

/** ServiceNow's out-of-box incident states (the `state` choice list). */
export const SERVICENOW_STATES = { new: '1', in_progress: '2', on_hold: '3', resolved: '6', closed: '7', canceled: '8' } as const;
export type ServiceNowState = keyof typeof SERVICENOW_STATES;

export interface ServiceNowRecord {
  readonly sys_id: string;
  readonly number: string;
  readonly state: string | undefined;
}

/**
 * Table API update: PATCH /api/now/table/incident/{sys_id} → 200 `{result: {...}}`. `comments` are
 * seen by the caller, `work_notes` only by the fulfillers; both append to the journal.
 */
export async function updateServiceNowIncident(conn: TicketConnection, sysId: string, fields: Readonly<Record<string, string | undefined>>, io: Outbound): Promise<ServiceNowRecord> {
  const res = await serviceCall('PATCH', {
    url: `${conn.baseUrl}/api/now/table/incident/${encodeURIComponent(sysId)}`,
    headers: { authorization: conn.authorization, 'content-type': 'application/json' },
    body: fields,
    ...io,
  });
  const result = asRecord(asRecord(res.body)?.['result']);
  if (res.status >= 200 && res.status < 300) {
    const number = stringField(result, 'number');
    if (number === undefined) throw unexpectedResponse('ServiceNow', res, 'the incident number');
    return { sys_id: stringField(result, 'sys_id') ?? sysId, number, state: stringField(result, 'state') };
  }
  const error = asRecord(asRecord(res.body)?.['error']);
  const message = stringField(error, 'message');
  const detail = stringField(error, 'detail');
  throw serviceError(res, { label: 'ServiceNow', code: statusCode('servicenow', res.status), detail: message === undefined ? undefined : detail ? `${message} (${detail})` : message });
}
