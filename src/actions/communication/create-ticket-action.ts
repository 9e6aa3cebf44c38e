import { type Static, Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { createGitHubIssue, GITHUB_REPOSITORY_PATTERN, gitHubConnection } from './github-client.js';
import { invalidParam } from './invalid-param.js';
import { createJiraIssue, jiraApiVersion, jiraConnection } from './jira-client.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { createServiceNowIncident, serviceNowConnection } from './servicenow-client.js';
import { type CreatedTicket, TICKET_SYSTEMS, type TicketSystem } from './ticket.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { outbound, type Outbound } from '../http/http-client.js';

const ID = 'create_ticket';
const DEFAULT_ISSUE_TYPE = 'Task';
const LABELS: Record<TicketSystem, string> = { jira: 'Jira', servicenow: 'ServiceNow', github: 'GitHub' };
// ServiceNow computes priority from urgency × impact; these pairs give P1, P2, P3 and P5.
export const SERVICENOW_LEVELS: Record<string, readonly [number, number]> = { critical: [1, 1], high: [1, 2], medium: [2, 2], low: [3, 3] };
const UNUSED_FIELDS: Record<TicketSystem, readonly (keyof Params)[]> = {
  jira: ['repository', 'urgency', 'impact'],
  servicenow: ['labels', 'project', 'issue_type', 'repository', 'api_version'],
  github: ['priority', 'project', 'issue_type', 'urgency', 'impact', 'api_version'],
};

const Level = (description: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description }));

const CreateTicketParams = Type.Object(
  {
    credential_id: Type.String({
      minLength: 1,
      description: 'Credential of the type named by system: jira {base_url, email+api_token | bearer_token}, '
        + 'servicenow {base_url, username+password | bearer_token}, github {token, base_url?}',
    }),
    system: Type.Union(TICKET_SYSTEMS.map((s) => Type.Literal(s)), { description: 'Where to open the ticket' }),
    title: Type.String({ minLength: 1, maxLength: 255, description: 'Jira summary, ServiceNow short_description, GitHub title' }),
    description: Type.Optional(Type.String({ description: 'Body text (Jira wiki markup, GitHub Markdown)' })),
    priority: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Jira: priority name (e.g. High). ServiceNow: critical, high, medium or low, setting urgency and impact '
          + 'unless given. Not used by GitHub (use labels)',
      }),
    ),
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100, description: 'Jira labels (no spaces) or GitHub labels' })),
    project: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Jira project key, e.g. OPS (required for Jira)' })),
    issue_type: Type.Optional(Type.String({ minLength: 1, default: DEFAULT_ISSUE_TYPE, description: 'Jira issue type name' })),
    api_version: Type.Optional(
      Type.Union([Type.Literal(2), Type.Literal(3)], { description: "Jira REST API: 2 (description as wiki markup) or 3 (description as an ADF document, Jira Cloud). @default the credential's api_version, else 2" }),
    ),
    repository: Type.Optional(Type.String({ pattern: GITHUB_REPOSITORY_PATTERN, description: 'owner/repo (required for GitHub)' })),
    urgency: Level('ServiceNow urgency: 1 high, 2 medium, 3 low'),
    impact: Level('ServiceNow impact: 1 high, 2 medium, 3 low'),
  },
  { additionalProperties: false },
);

const CreateTicketOutput = Type.Object({
  system: Type.Union(TICKET_SYSTEMS.map((s) => Type.Literal(s))),
  id: Type.String({ description: 'Jira issue id, ServiceNow sys_id or GitHub issue number' }),
  key: Type.String({ description: 'OPS-24, INC0010001 or owner/repo#12' }),
  url: Type.String({ description: 'Page of the ticket' }),
});

type Params = Static<typeof CreateTicketParams>;

function serviceNowLevels(p: Params): { urgency?: number | undefined; impact?: number | undefined } {
  if (p.priority === undefined) return { urgency: p.urgency, impact: p.impact };
  const levels = SERVICENOW_LEVELS[p.priority.toLowerCase()];
  if (levels === undefined) throw invalidParam(ID, '/priority', 'ServiceNow takes critical, high, medium or low (or urgency and impact)');
  return { urgency: p.urgency ?? levels[0], impact: p.impact ?? levels[1] };
}

function create(p: Params, cred: ResolvedCredential, io: Outbound): Promise<CreatedTicket> {
  const common = { title: p.title, description: p.description, priority: p.priority, labels: p.labels };
  switch (p.system) {
    case 'jira': {
      if (p.project === undefined) throw invalidParam(ID, '/project', 'project (the Jira project key) is required for Jira');
      const conn = jiraConnection(cred);
      const issue = { ...common, project: p.project, issueType: p.issue_type ?? DEFAULT_ISSUE_TYPE, apiVersion: p.api_version ?? jiraApiVersion(cred) };
      return withSecretsMasked(conn.secrets, () => createJiraIssue(conn, issue, io));
    }
    case 'servicenow': {
      const levels = serviceNowLevels(p);
      const conn = serviceNowConnection(cred);
      return withSecretsMasked(conn.secrets, () => createServiceNowIncident(conn, { ...common, ...levels }, io));
    }
    case 'github': {
      const repository = p.repository;
      if (repository === undefined) throw invalidParam(ID, '/repository', 'repository (owner/repo) is required for GitHub');
      const conn = gitHubConnection(cred);
      return withSecretsMasked(conn.secrets, () => createGitHubIssue(conn, { ...common, repository }, io));
    }
    default: {
      const unknown: never = p.system;
      throw invalidParam(ID, '/system', `unknown system ${String(unknown)}`);
    }
  }
}

function warnUnused(ctx: ActionContext<Params>): void {
  const unused = UNUSED_FIELDS[ctx.params.system].filter((f) => ctx.params[f] !== undefined && !(f === 'issue_type' && ctx.params[f] === DEFAULT_ISSUE_TYPE));
  if (unused.length > 0) ctx.log.log('warn', `${unused.join(', ')} ignored: not used by ${LABELS[ctx.params.system]}`);
}

export const createTicketAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Create Ticket',
  description: 'Opens a Jira issue, a ServiceNow incident or a GitHub issue.',
  params: CreateTicketParams,
  output: CreateTicketOutput,
  async run(ctx) {
    const p = ctx.params;
    const cred = await ctx.credentials.get(p.credential_id, [p.system]);
    warnUnused(ctx);
    const ticket = await create(p, cred, outbound(ctx));
    ctx.log.log('info', `created ${LABELS[ticket.system]} ticket ${ticket.key}`, { key: ticket.key, url: ticket.url });
    return { ...ticket };
  },
  plan(ctx) {
    const p = ctx.params;
    const title = quoted(p.title);
    if (p.system === 'jira') return `create Jira ${p.issue_type ?? DEFAULT_ISSUE_TYPE} in ${p.project ?? '(no project)'}: ${title}`;
    if (p.system === 'servicenow') return `create ServiceNow incident: ${title}`;
    return `create GitHub issue in ${p.repository ?? '(no repository)'}: ${title}`;
  },
});
