import type { Outbound } from '../http/http-client.js';
import { gitHubCall, repoPath } from './github-client.js';
import { stringField, unexpectedResponse } from './service-http.js';
import type { TicketConnection } from './ticket.js';

export interface GitHubIssueRef {
  /** `owner/repo`. */
  readonly repository: string;
  readonly number: number;
}

export interface GitHubIssueState {
  readonly number: number;
  readonly html_url: string;
  readonly state: string;
}

/** PATCH /repos/{o}/{r}/issues/{n}: only the fields given change. */
export interface GitHubIssueChanges {
  readonly title?: string | undefined;
  readonly body?: string | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly assignees?: readonly string[] | undefined;
  readonly state?: 'open' | 'closed' | undefined;
  /** With state closed: `completed` or `not_planned`; with open: `reopened`. */
  readonly state_reason?: 'completed' | 'not_planned' | 'reopened' | undefined;
}

export async function updateGitHubIssue(conn: TicketConnection, ref: GitHubIssueRef, changes: GitHubIssueChanges, io: Outbound): Promise<GitHubIssueState> {
  const res = await gitHubCall(conn, 'PATCH', `${repoPath(ref.repository)}/issues/${ref.number}`, changes, io);
  const url = stringField(res.body, 'html_url');
  const state = stringField(res.body, 'state');
  if (url === undefined || state === undefined) throw unexpectedResponse('GitHub', res, 'the issue html_url and state');
  return { number: ref.number, html_url: url, state };
}

/** POST /repos/{o}/{r}/issues/{n}/comments → 201 {id, html_url}. */
export async function commentOnGitHubIssue(conn: TicketConnection, ref: GitHubIssueRef, body: string, io: Outbound): Promise<{ id: string; html_url: string }> {
  const res = await gitHubCall(conn, 'POST', `${repoPath(ref.repository)}/issues/${ref.number}/comments`, { body }, io);
  const id = stringField(res.body, 'id');
  const url = stringField(res.body, 'html_url');
  if (id === undefined || url === undefined) throw unexpectedResponse('GitHub', res, 'the comment id and html_url');
  return { id, html_url: url };
}
