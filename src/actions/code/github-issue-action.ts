import { type Static, Type } from '@sinclair/typebox';
import { GITHUB_REPOSITORY_PATTERN, gitHubCall, gitHubConnection, repoPath } from '../communication/github-client.js';
import { commentOnGitHubIssue, updateGitHubIssue } from '../communication/github-issues.js';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { stringField, unexpectedResponse } from '../communication/service-http.js';
import type { TicketConnection } from '../communication/ticket.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { type Outbound, outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';

const ID = 'github_issue';
const OPERATIONS = ['create', 'comment', 'close'] as const;

const GitHubIssueParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type github: {token (issues: write), base_url? (GitHub Enterprise: https://host/api/v3)}' }),
    operation: Type.Union(OPERATIONS.map((o) => Type.Literal(o)), { description: 'create an issue, comment on one, or close one' }),
    repository: Type.String({ pattern: GITHUB_REPOSITORY_PATTERN, description: 'owner/repo' }),
    issue_number: Type.Optional(Type.Integer({ minimum: 1, description: 'Issue to comment on or close' })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Issue title (required to create)' })),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 65536, description: 'Issue text when creating; the comment when commenting or closing (posted before the close)' })),
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 100, description: 'Labels of a new issue' })),
    assignees: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), { maxItems: 10, description: 'Logins to assign a new issue to' })),
    state_reason: Type.Optional(Type.Union([Type.Literal('completed'), Type.Literal('not_planned')], { default: 'completed', description: 'Why the issue is closed' })),
  },
  { additionalProperties: false },
);

const GitHubIssueOutput = Type.Object({
  number: Type.Integer({ description: 'Issue number' }),
  html_url: Type.String({ description: 'Page of the issue' }),
  state: Type.Optional(Type.String({ description: 'open or closed (not returned by comment)' })),
  comment_id: Type.Optional(Type.String({ description: 'Id of the comment posted' })),
  comment_url: Type.Optional(Type.String({ description: 'Page of the comment posted' })),
});

type Params = Static<typeof GitHubIssueParams>;
type Output = Static<typeof GitHubIssueOutput>;

async function create(conn: TicketConnection, p: Params, io: Outbound): Promise<Output> {
  if (p.title === undefined) throw invalidParam(ID, '/title', 'title is required to create an issue');
  const res = await gitHubCall(conn, 'POST', `${repoPath(p.repository)}/issues`, { title: p.title, body: p.body, labels: p.labels, assignees: p.assignees }, io);
  const number = Number(stringField(res.body, 'number'));
  const url = stringField(res.body, 'html_url');
  if (!Number.isInteger(number) || url === undefined) throw unexpectedResponse('GitHub', res, 'the issue number and html_url');
  return { number, html_url: url, state: stringField(res.body, 'state') ?? 'open' };
}

async function act(ctx: ActionContext<Params>, conn: TicketConnection): Promise<Output> {
  const p = ctx.params;
  const io = outbound(ctx);
  if (p.operation === 'create') return create(conn, p, io);
  if (p.issue_number === undefined) throw invalidParam(ID, '/issue_number', `issue_number is required to ${p.operation}`);
  const ref = { repository: p.repository, number: p.issue_number };
  if (p.operation === 'comment' && p.body === undefined) throw invalidParam(ID, '/body', 'body (the comment) is required to comment');
  const comment = p.body === undefined ? undefined : await commentOnGitHubIssue(conn, ref, p.body, io);
  const withComment = comment === undefined ? {} : { comment_id: comment.id, comment_url: comment.html_url };
  if (p.operation === 'comment') {
    const issueUrl = comment!.html_url.replace(/#.*$/, '');
    return { number: p.issue_number, html_url: issueUrl, ...withComment };
  }
  const closed = await updateGitHubIssue(conn, ref, { state: 'closed', state_reason: p.state_reason ?? 'completed' }, io);
  return { ...closed, ...withComment };
}

export const gitHubIssueAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'code',
  name: 'GitHub Issue',
  description: 'Creates a GitHub issue (title, body, labels, assignees), comments on one, or closes one as completed or not planned (with an optional closing comment).',
  params: GitHubIssueParams,
  output: GitHubIssueOutput,
  async run(ctx) {
    const conn = gitHubConnection(await ctx.credentials.get(ctx.params.credential_id, ['github']));
    const out = await withSecretsMasked(conn.secrets, () => act(ctx, conn));
    ctx.log.log('info', `${ctx.params.operation}: ${ctx.params.repository}#${out.number}`, { html_url: out.html_url });
    return out;
  },
  plan(ctx) {
    const p = ctx.params;
    const issue = `${p.repository}#${p.issue_number ?? '?'}`;
    if (p.operation === 'create') return `create GitHub issue in ${p.repository}: ${quoted(p.title ?? '')}`;
    if (p.operation === 'comment') return `comment on GitHub issue ${issue}: ${quoted(p.body ?? '')}`;
    return `close GitHub issue ${issue} as ${p.state_reason ?? 'completed'}${p.body === undefined ? '' : ` with comment ${quoted(p.body)}`}`;
  },
});
