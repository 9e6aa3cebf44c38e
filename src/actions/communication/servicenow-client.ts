import type { Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, basicAuth, credentialError, optionalField } from './credential-fields.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';
import type { CreatedTicket, TicketConnection, TicketRequest } from './ticket.js';

export interface ServiceNowIncident extends TicketRequest {
  /** 1 high, 2 medium, 3 low: ServiceNow derives the incident's priority from urgency and impact. */
  readonly urgency?: number | undefined;
  readonly impact?: number | undefined;
}

/** OAuth bearer token, or Basic username:password. */
export function serviceNowConnection(cred: ResolvedCredential): TicketConnection {
  const baseUrl = baseUrlField(cred, 'base_url');
  const bearer = optionalField(cred, 'bearer_token');
  if (bearer !== undefined) return { baseUrl, authorization: `Bearer ${bearer}`, secrets: [bearer] };
  const username = optionalField(cred, 'username');
  const password = optionalField(cred, 'password');
  if (username === undefined || password === undefined) throw credentialError(cred, 'has neither bearer_token nor username and password');
  return { baseUrl, authorization: basicAuth(username, password), secrets: [password] };
}

/** Table API insert into `incident` → 201 `{result: {sys_id, number, state...}}`. */
export async function createServiceNowIncident(conn: TicketConnection, incident: ServiceNowIncident, io: Outbound): Promise<CreatedTicket> {
  const body = {
    short_description: incident.title,
    description: incident.description,
    urgency: incident.urgency === undefined ? undefined : String(incident.urgency),
    impact: incident.impact === undefined ? undefined : String(incident.impact),
  };
  const res = await servicePost({
    url: `${conn.baseUrl}/api/now/table/incident`,
    headers: { authorization: conn.authorization, 'content-type': 'application/json' },
    body,
    ...io,
  });
  const result = asRecord(asRecord(res.body)?.['result']);
  if (res.status >= 200 && res.status < 300) {
    const sysId = stringField(result, 'sys_id');
    const number = stringField(result, 'number');
    if (sysId === undefined || number === undefined) throw unexpectedResponse('ServiceNow', res, 'the incident sys_id and number');
    return { system: 'servicenow', id: sysId, key: number, url: `${conn.baseUrl}/incident.do?sys_id=${encodeURIComponent(sysId)}` };
  }
  const error = asRecord(asRecord(res.body)?.['error']);
  const message = stringField(error, 'message');
  const detail = stringField(error, 'detail');
  throw serviceError(res, {
    label: 'ServiceNow',
    code: statusCode('servicenow', res.status),
    detail: message === undefined ? undefined : detail ? `${message} (${detail})` : message,
  });
}
