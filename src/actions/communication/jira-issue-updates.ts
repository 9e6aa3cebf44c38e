import { NonRetryableError } from '../../model/errors.js';
import type { HttpResponse, Outbound } from '../http/http-client.js';
import { adfDocument, describeErrors } from './jira-client.js';
import { asRecord, serviceCall, serviceError, statusCode, stringField, unexpectedResponse } from './service-http.js';
import type { TicketConnection } from './ticket.js';

export type JiraApiVersion = 2 | 3;

export interface JiraFieldChanges {
  readonly summary?: string | undefined;
  readonly description?: string | undefined;
  readonly priority?: string | undefined;
  readonly labels?: readonly string[] | undefined;
}

/** Text as the API version takes it: v2 wiki markup string, v3 an ADF document. */
function richText(text: string, version: JiraApiVersion): unknown {
  return version === 2 ? text : adfDocument(text);
}

async function jiraCall(conn: TicketConnection, method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, io: Outbound): Promise<HttpResponse> {
  const res = await serviceCall(method, {
    url: `${conn.baseUrl}${path}`,
    headers: { authorization: conn.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
    ...io,
  });
  if (res.status >= 200 && res.status < 300) return res;
  const { detail, fields } = describeErrors(res.body);
  throw serviceError(res, { label: 'Jira', code: statusCode('jira', res.status), detail, details: fields.length > 0 ? { fields } : {} });
}

const issuePath = (version: JiraApiVersion, key: string) => `/rest/api/${version}/issue/${encodeURIComponent(key)}`;

/** PUT /rest/api/N/issue/{key} {fields} → 204: only the fields given change. */
export async function updateJiraIssue(conn: TicketConnection, version: JiraApiVersion, key: string, changes: JiraFieldChanges, io: Outbound): Promise<void> {
  const fields = {
    summary: changes.summary,
    description: changes.description === undefined ? undefined : richText(changes.description, version),
    priority: changes.priority === undefined ? undefined : { name: changes.priority },
    labels: changes.labels,
  };
  await jiraCall(conn, 'PUT', issuePath(version, key), { fields }, io);
}

/**
 * Moves the issue through the workflow transition whose name, or whose target status, is `target`
 * (case-insensitive): GET .../transitions lists what the issue's workflow allows from where it is,
 * POST .../transitions {transition: {id}} takes one. Returns the status it went to.
 */
export async function transitionJiraIssue(conn: TicketConnection, version: JiraApiVersion, key: string, target: string, io: Outbound): Promise<string> {
  const listed = await jiraCall(conn, 'GET', `${issuePath(version, key)}/transitions`, undefined, io);
  const raw = asRecord(listed.body)?.['transitions'];
  const transitions = (Array.isArray(raw) ? raw : []).map((t) => ({ id: stringField(t, 'id'), name: stringField(t, 'name'), to: stringField(asRecord(t)?.['to'], 'name') }));
  const want = target.toLowerCase();
  const match = transitions.find((t) => t.name?.toLowerCase() === want) ?? transitions.find((t) => t.to?.toLowerCase() === want);
  if (match?.id === undefined) {
    const offered = transitions.map((t) => (t.to === undefined ? t.name : `${t.name} → ${t.to}`)).filter(Boolean).join(', ');
    throw new NonRetryableError('jira_transition_not_found', `Jira issue ${key} has no transition named or leading to "${target}" from its current status (available: ${offered || 'none'})`, {
      details: { path: '/status', available: transitions.map((t) => t.name) },
    });
  }
  await jiraCall(conn, 'POST', `${issuePath(version, key)}/transitions`, { transition: { id: match.id } }, io);
  return match.to ?? match.name ?? target;
}

/** POST /rest/api/N/issue/{key}/comment {body} → 201 {id, self}. */
export async function commentOnJiraIssue(conn: TicketConnection, version: JiraApiVersion, key: string, text: string, io: Outbound): Promise<string> {
  const res = await jiraCall(conn, 'POST', `${issuePath(version, key)}/comment`, { body: richText(text, version) }, io);
  const id = stringField(res.body, 'id');
  if (id === undefined) throw unexpectedResponse('Jira', res, 'the comment id');
  return id;
}
