import type { Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { baseUrlField, basicAuth, credentialError, optionalField } from './credential-fields.js';
import { asRecord, serviceError, servicePost, statusCode, stringField, unexpectedResponse } from './service-http.js';
import type { CreatedTicket, TicketConnection, TicketRequest } from './ticket.js';

export interface JiraIssue extends TicketRequest {
  readonly project: string;
  readonly issueType: string;
  /** REST API version: 2 takes the description as wiki markup text, 3 as an Atlassian Document (ADF). @default 2 */
  readonly apiVersion?: 2 | 3 | undefined;
}

type AdfInline = { type: 'text'; text: string } | { type: 'hardBreak' };

/**
 * Plain text as an ADF document (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/):
 * blank lines separate paragraphs, single newlines become hard breaks. ADF refuses empty text nodes.
 */
export function adfDocument(text: string): { type: 'doc'; version: 1; content: Array<{ type: 'paragraph'; content: AdfInline[] }> } {
  const paragraphs = text.split(/\n\s*\n/).map((para) => {
    const content: AdfInline[] = [];
    para.split('\n').forEach((line, i) => {
      if (i > 0) content.push({ type: 'hardBreak' });
      if (line !== '') content.push({ type: 'text', text: line });
    });
    return { type: 'paragraph' as const, content };
  });
  return { type: 'doc', version: 1, content: paragraphs.filter((p) => p.content.some((c) => c.type === 'text')) };
}

/** Bearer personal access token (Data Center) or Basic email:api_token (Cloud). */
export function jiraConnection(cred: ResolvedCredential): TicketConnection {
  const baseUrl = baseUrlField(cred, 'base_url');
  const bearer = optionalField(cred, 'bearer_token');
  if (bearer !== undefined) return { baseUrl, authorization: `Bearer ${bearer}`, secrets: [bearer] };
  const email = optionalField(cred, 'email');
  const apiToken = optionalField(cred, 'api_token');
  if (email === undefined || apiToken === undefined) throw credentialError(cred, 'has neither bearer_token nor email and api_token');
  return { baseUrl, authorization: basicAuth(email, apiToken), secrets: [apiToken] };
}

/** The credential's `api_version` ("2" or "3"), when it sets one. */
export function jiraApiVersion(cred: ResolvedCredential): 2 | 3 | undefined {
  const v = optionalField(cred, 'api_version');
  if (v === undefined) return undefined;
  if (v === '2' || v === '3') return Number(v) as 2 | 3;
  throw credentialError(cred, `api_version must be 2 or 3, not ${JSON.stringify(v)}`);
}

/** `errorMessages` and per-field `errors`, as one line naming each failing field. */
export function describeErrors(body: unknown): { detail: string | undefined; fields: string[] } {
  const record = asRecord(body);
  const messages = Array.isArray(record?.['errorMessages']) ? record['errorMessages'].filter((m) => typeof m === 'string') : [];
  const fieldErrors = Object.entries(asRecord(record?.['errors']) ?? {}).map(([field, message]) => `${field}: ${String(message)}`);
  const all = [...messages, ...fieldErrors];
  return { detail: all.length > 0 ? all.join('; ') : undefined, fields: Object.keys(asRecord(record?.['errors']) ?? {}) };
}

/** Create issue, REST API v2 (description as wiki markup) or v3 (description as ADF; Jira Cloud). */
export async function createJiraIssue(conn: TicketConnection, issue: JiraIssue, io: Outbound): Promise<CreatedTicket> {
  const version = issue.apiVersion ?? 2;
  const fields = {
    project: { key: issue.project },
    summary: issue.title,
    issuetype: { name: issue.issueType },
    description: issue.description === undefined || version === 2 ? issue.description : adfDocument(issue.description),
    priority: issue.priority === undefined ? undefined : { name: issue.priority },
    labels: issue.labels,
  };
  const res = await servicePost({
    url: `${conn.baseUrl}/rest/api/${version}/issue`,
    headers: { authorization: conn.authorization, 'content-type': 'application/json' },
    body: { fields },
    ...io,
  });
  if (res.status >= 200 && res.status < 300) {
    const id = stringField(res.body, 'id');
    const key = stringField(res.body, 'key');
    if (id === undefined || key === undefined) throw unexpectedResponse('Jira', res, 'the issue id and key');
    return { system: 'jira', id, key, url: `${conn.baseUrl}/browse/${key}` };
  }
  const { detail, fields: failing } = describeErrors(res.body);
  throw serviceError(res, { label: 'Jira', code: statusCode('jira', res.status), detail, details: failing.length > 0 ? { fields: failing } : {} });
}
