import { type Static, Type } from '@sinclair/typebox';
import type { ResolvedCredential } from '../../model/credentials.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { gitHubConnection } from './github-client.js';
import { commentOnGitHubIssue } from './github-issues.js';
import { jiraConnection } from './jira-client.js';
import { commentOnJiraIssue } from './jira-issue-updates.js';
import { quoted } from './plan-text.js';
import { withSecretsMasked } from './secrets.js';
import { serviceNowConnection } from './servicenow-client.js';
import { updateServiceNowIncident } from './servicenow-updates.js';
import { TICKET_SYSTEMS } from './ticket.js';
import { checkTicketRef, jiraVersionOf, TICKET_REF_PARAMS, ticketPage } from './ticket-ref.js';

const ID = 'comment_ticket';

const CommentTicketParams = Type.Object(
  {
    ...TICKET_REF_PARAMS,
    comment: Type.String({ minLength: 1, maxLength: 32767, description: 'The comment (Jira wiki markup, GitHub Markdown, ServiceNow plain text)' }),
    internal: Type.Optional(
      Type.Boolean({ default: false, description: 'ServiceNow: a work note only fulfillers see, instead of a comment the caller sees. Not used by Jira and GitHub' }),
    ),
  },
  { additionalProperties: false },
);

const CommentTicketOutput = Type.Object({
  system: Type.Union(TICKET_SYSTEMS.map((s) => Type.Literal(s))),
  key: Type.String({ description: 'OPS-24, INC0010001 or owner/repo#12' }),
  url: Type.String({ description: 'Page of the ticket (GitHub: of the comment)' }),
  comment_id: Type.Optional(Type.String({ description: 'Id of the comment (Jira, GitHub); ServiceNow journal entries have none in the answer' })),
});

type Params = Static<typeof CommentTicketParams>;
type Output = Static<typeof CommentTicketOutput>;

async function comment(ctx: ActionContext<Params>, cred: ResolvedCredential): Promise<Output> {
  const p = ctx.params;
  const io = outbound(ctx);
  switch (p.system) {
    case 'jira': {
      const conn = jiraConnection(cred);
      const id = await withSecretsMasked(conn.secrets, () => commentOnJiraIssue(conn, jiraVersionOf(p, cred), p.ticket, p.comment, io));
      return { system: 'jira', key: p.ticket, url: ticketPage(p, conn), comment_id: id };
    }
    case 'servicenow': {
      const conn = serviceNowConnection(cred);
      const field = p.internal === true ? 'work_notes' : 'comments';
      const record = await withSecretsMasked(conn.secrets, () => updateServiceNowIncident(conn, p.ticket, { [field]: p.comment }, io));
      return { system: 'servicenow', key: record.number, url: ticketPage(p, conn) };
    }
    case 'github': {
      const conn = gitHubConnection(cred);
      const ref = { repository: p.repository!, number: Number(p.ticket) };
      const posted = await withSecretsMasked(conn.secrets, () => commentOnGitHubIssue(conn, ref, p.comment, io));
      return { system: 'github', key: `${ref.repository}#${p.ticket}`, url: posted.html_url, comment_id: posted.id };
    }
    default: {
      const never: never = p.system;
      throw new Error(`unhandled system ${String(never)}`);
    }
  }
}

export const commentTicketAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'communication',
  name: 'Comment on Ticket',
  description: 'Adds a comment to a Jira issue or GitHub issue, or a comment / work note to a ServiceNow incident.',
  params: CommentTicketParams,
  output: CommentTicketOutput,
  async run(ctx) {
    const p = ctx.params;
    checkTicketRef(ID, p);
    if (p.internal === true && p.system !== 'servicenow') ctx.log.log('warn', `internal ignored: ${p.system} comments are visible to everyone who sees the ticket`);
    const cred = await ctx.credentials.get(p.credential_id, [p.system]);
    const out = await comment(ctx, cred);
    ctx.log.log('info', `commented on ${out.key}`, { key: out.key, url: out.url });
    return out;
  },
  plan(ctx) {
    const p = ctx.params;
    const where = p.system === 'github' ? `${p.repository ?? '?'}#${p.ticket}` : p.ticket;
    const kind = p.system === 'servicenow' && p.internal === true ? 'work note' : 'comment';
    return `add a ${kind} to ${p.system} ticket ${where}: ${quoted(p.comment)}`;
  },
});
