import { Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { GITHUB_REPOSITORY_PATTERN } from './github-client.js';
import { invalidParam } from './invalid-param.js';
import { jiraApiVersion } from './jira-client.js';
import type { JiraApiVersion } from './jira-issue-updates.js';
import { TICKET_SYSTEMS, type TicketConnection, type TicketSystem } from './ticket.js';

/** Params naming one existing ticket, shared by update_ticket and comment_ticket. */
export const TICKET_REF_PARAMS = {
  credential_id: Type.String({
    minLength: 1,
    description: 'Credential of the type named by system: jira {base_url, email+api_token | bearer_token}, servicenow {base_url, username+password | bearer_token}, github {token, base_url?}',
  }),
  system: Type.Union(TICKET_SYSTEMS.map((s) => Type.Literal(s)), { description: 'Where the ticket lives' }),
  ticket: Type.String({
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'The ticket: Jira issue key or id (OPS-24), ServiceNow incident sys_id, GitHub issue number. create_ticket returns it as `id`',
  }),
  repository: Type.Optional(Type.String({ pattern: GITHUB_REPOSITORY_PATTERN, description: 'owner/repo (required for GitHub)' })),
  api_version: Type.Optional(Type.Union([Type.Literal(2), Type.Literal(3)], { description: "Jira REST API: 2 (wiki markup) or 3 (ADF, Jira Cloud). @default the credential's api_version, else 2" })),
};

const TICKET_FORMATS: Record<TicketSystem, { pattern: RegExp; what: string }> = {
  jira: { pattern: /^([A-Z][A-Z0-9_]*-\d+|\d+)$/, what: 'a Jira issue key (OPS-24) or id' },
  servicenow: { pattern: /^[0-9a-f]{32}$/, what: 'a ServiceNow sys_id (32 hex characters)' },
  github: { pattern: /^[1-9]\d*$/, what: 'a GitHub issue number' },
};

export interface TicketRef {
  readonly system: TicketSystem;
  readonly ticket: string;
  readonly repository?: string | undefined;
  readonly api_version?: JiraApiVersion | undefined;
}

/** Refuses a ticket id of the wrong shape for its system (before any request), and GitHub without repository. */
export function checkTicketRef(actionId: string, ref: TicketRef): void {
  const format = TICKET_FORMATS[ref.system];
  if (!format.pattern.test(ref.ticket)) throw invalidParam(actionId, '/ticket', `ticket must be ${format.what}`);
  if (ref.system === 'github' && ref.repository === undefined) throw invalidParam(actionId, '/repository', 'repository (owner/repo) is required for GitHub');
}

export function jiraVersionOf(ref: TicketRef, cred: ResolvedCredential): JiraApiVersion {
  return ref.api_version ?? jiraApiVersion(cred) ?? 2;
}

/** The page a person opens, as create_ticket reports it. */
export function ticketPage(ref: TicketRef, conn: TicketConnection): string {
  if (ref.system === 'jira') return `${conn.baseUrl}/browse/${ref.ticket}`;
  if (ref.system === 'servicenow') return `${conn.baseUrl}/incident.do?sys_id=${ref.ticket}`;
  return `https://github.com/${ref.repository ?? ''}/issues/${ref.ticket}`;
}
