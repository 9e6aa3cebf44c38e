import { type Static, Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { SERVICENOW_LEVELS } from './create-ticket-action.js';
import { gitHubConnection } from './github-client.js';
import { updateGitHubIssue } from './github-issues.js';
import { invalidParam } from './invalid-param.js';
import { jiraConnection } from './jira-client.js';
import { transitionJiraIssue, updateJiraIssue } from './jira-issue-updates.js';
import { withSecretsMasked } from './secrets.js';
import { serviceNowConnection } from './servicenow-client.js';
import { SERVICENOW_STATES, type ServiceNowState, updateServiceNowIncident } from './servicenow-updates.js';
import { TICKET_SYSTEMS } from './ticket.js';
import { checkTicketRef, jiraVersionOf, TICKET_REF_PARAMS, ticketPage } from './ticket-ref.js';

const ID = 'update_ticket';
// A resolved or closed incident needs a close code on most instances; this one exists out of the box.
const CLOSE_CODE = 'Solution provided';

const UpdateTicketParams = Type.Object(
  {
    ...TICKET_REF_PARAMS,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'New Jira summary, ServiceNow short_description or GitHub title' })),
    description: Type.Optional(Type.String({ description: 'New body text (replaces the old one)' })),
    priority: Type.Optional(Type.String({ minLength: 1, description: 'Jira: priority name (High). ServiceNow: critical, high, medium or low (sets urgency and impact). Not used by GitHub' })),
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100, description: 'Replaces the Jira or GitHub labels' })),
    status: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Jira: a transition name or the status it leads to (Done, In Progress). ServiceNow: new, in_progress, on_hold, resolved, closed or canceled. GitHub: open or closed',
      }),
    ),
    resolution_notes: Type.Optional(Type.String({ minLength: 1, description: 'ServiceNow close_notes when resolving or closing' })),
  },
  { additionalProperties: false },
);

const UpdateTicketOutput = Type.Object({
  system: Type.Union(TICKET_SYSTEMS.map((s) => Type.Literal(s))),
  id: Type.String({ description: 'The ticket as given' }),
  key: Type.String({ description: 'OPS-24, INC0010001 or owner/repo#12' }),
  url: Type.String({ description: 'Page of the ticket' }),
  status: Type.Optional(Type.String({ description: 'Status after the update, when it was changed (Jira: the target status; ServiceNow: the state value; GitHub: open/closed)' })),
});

type Params = Static<typeof UpdateTicketParams>;
type Output = Static<typeof UpdateTicketOutput>;

async function updateJira(ctx: ActionContext<Params>, cred: ResolvedCredential): Promise<Output> {
  const p = ctx.params;
  const conn = jiraConnection(cred);
  const version = jiraVersionOf(p, cred);
  return withSecretsMasked(conn.secrets, async () => {
    const changes = { summary: p.title, description: p.description, priority: p.priority, labels: p.labels };
    if (Object.values(changes).some((v) => v !== undefined)) await updateJiraIssue(conn, version, p.ticket, changes, outbound(ctx));
    const status = p.status === undefined ? undefined : await transitionJiraIssue(conn, version, p.ticket, p.status, outbound(ctx));
    return { system: 'jira' as const, id: p.ticket, key: p.ticket, url: ticketPage(p, conn), ...(status === undefined ? {} : { status }) };
  });
}

function serviceNowFields(p: Params): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = { short_description: p.title, description: p.description };
  if (p.priority !== undefined) {
    const levels = SERVICENOW_LEVELS[p.priority.toLowerCase()];
    if (levels === undefined) throw invalidParam(ID, '/priority', 'ServiceNow takes critical, high, medium or low');
    Object.assign(fields, { urgency: String(levels[0]), impact: String(levels[1]) });
  }
  if (p.status !== undefined) {
    const state = SERVICENOW_STATES[p.status.toLowerCase() as ServiceNowState] as string | undefined;
    if (state === undefined) throw invalidParam(ID, '/status', `ServiceNow takes ${Object.keys(SERVICENOW_STATES).join(', ')}`);
    fields['state'] = state;
    if (state === SERVICENOW_STATES.resolved || state === SERVICENOW_STATES.closed) {
      Object.assign(fields, { close_code: CLOSE_CODE, close_notes: p.resolution_notes ?? 'Resolved by iTechSmart Workflow' });
    }
  }
  return fields;
}

async function updateServiceNow(ctx: ActionContext<Params>, cred: ResolvedCredential): Promise<Output> {
  const p = ctx.params;
  const fields = serviceNowFields(p);
  const conn = serviceNowConnection(cred);
  const record = await withSecretsMasked(conn.secrets, () => updateServiceNowIncident(conn, p.ticket, fields, outbound(ctx)));
  const status = p.status === undefined ? undefined : record.state;
  return { system: 'servicenow', id: p.ticket, key: record.number, url: ticketPage(p, conn), ...(status === undefined ? {} : { status }) };
}

async function updateGitHub(ctx: ActionContext<Params>, cred: ResolvedCredential): Promise<Output> {
  const p = ctx.params;
  const state: 'open' | 'closed' | undefined = p.status === 'open' ? 'open' : p.status === 'closed' ? 'closed' : undefined;
  if (p.status !== undefined && state === undefined) throw invalidParam(ID, '/status', 'GitHub takes open or closed');
  const conn = gitHubConnection(cred);
  const ref = { repository: p.repository!, number: Number(p.ticket) };
  const changes = { title: p.title, body: p.description, labels: p.labels, state };
  const issue = await withSecretsMasked(conn.secrets, () => updateGitHubIssue(conn, ref, changes, outbound(ctx)));
  return { system: 'github', id: p.ticket, key: `${ref.repository}#${p.ticket}`, url: issue.html_url, status: issue.state };
}

export const updateTicketAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Update Ticket',
  description: 'Changes an existing Jira issue (fields, then a workflow transition), ServiceNow incident (fields and state) or GitHub issue (title, body, labels, open/closed).',
  params: UpdateTicketParams,
  output: UpdateTicketOutput,
  async run(ctx) {
    const p = ctx.params;
    checkTicketRef(ID, p);
    const changes = [p.title, p.description, p.priority, p.labels, p.status];
    if (changes.every((c) => c === undefined)) throw invalidParam(ID, '/status', 'nothing to change: give status, title, description, priority or labels');
    if (p.system === 'github' && p.priority !== undefined) ctx.log.log('warn', 'priority ignored: GitHub issues have none (use labels)');
    const cred = await ctx.credentials.get(p.credential_id, [p.system]);
    const out = p.system === 'jira' ? await updateJira(ctx, cred) : p.system === 'servicenow' ? await updateServiceNow(ctx, cred) : await updateGitHub(ctx, cred);
    ctx.log.log('info', `updated ${out.key}${out.status === undefined ? '' : ` (status ${out.status})`}`, { key: out.key, url: out.url });
    return out;
  },
  plan(ctx) {
    const p = ctx.params;
    const what = [p.status && `status → ${p.status}`, p.title && 'title', p.description !== undefined && 'description', p.priority && `priority → ${p.priority}`, p.labels && 'labels'].filter(Boolean);
    const where = p.system === 'github' ? `${p.repository ?? '?'}#${p.ticket}` : p.ticket;
    return `update ${p.system} ticket ${where}: ${what.join(', ') || 'nothing'}`;
  },
});
