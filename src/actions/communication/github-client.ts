import type { ResolvedCredential } from '../../model/credentials.js';
import type { HttpResponse, Outbound } from '../http/http-client.js';
import { baseUrlField, requiredField } from './credential-fields.js';
import { asRecord, serviceCall, serviceError, statusCode, stringField, unexpectedResponse } from './service-http.js';
import type { ItwError } from '../../model/errors.js';
import type { CreatedTicket, TicketConnection, TicketRequest } from './ticket.js';

const DEFAULT_BASE_URL = 'https://api.github.com';
const API_VERSION = '2022-11-28';

export interface GitHubIssue extends TicketRequest {
  /** `owner/repo`. */
  readonly repository: string;
}

/** A token (classic, fine-grained or app installation) as Bearer; base_url for GitHub Enterprise (`https://host/api/v3`). */
export function gitHubConnection(cred: ResolvedCredential): TicketConnection {
  const token = requiredField(cred, 'token');
  return { baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL), authorization: `Bearer ${token}`, secrets: [token] };
}

/** `message` plus each `errors[]` entry (`labels invalid`), GitHub's validation report. */
function describeError(body: unknown): string | undefined {
  const message = stringField(body, 'message');
  const errors = asRecord(body)?.['errors'];
  const parts = (Array.isArray(errors) ? errors : []).map((e) =>
    stringField(e, 'message') ?? [stringField(e, 'field'), stringField(e, 'code')].filter(Boolean).join(' '),
  );
  const listed = parts.filter((p) => p !== '');
  return listed.length > 0 ? `${message ?? 'error'} (${listed.join('; ')})` : message;
}

/**
 * GitHub signals an exhausted rate limit with 403 or 429 and `x-ratelimit-remaining: 0`, a secondary
 * limit with `retry-after`. Waiting helps then, unlike a 403 for a missing permission.
 */
function isRateLimited(res: HttpResponse): boolean {
  const limitHeaders = res.headers['x-ratelimit-remaining'] === '0' || res.headers['retry-after'] !== undefined;
  return (res.status === 403 || res.status === 429) && limitHeaders;
}

function untilReset(res: HttpResponse, nowMs: number): number | undefined {
  const reset = Number(res.headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - nowMs) : undefined;
}

/** The headers GitHub documents for REST calls: its media type, the pinned API version, the token. */
function gitHubHeaders(conn: TicketConnection): Record<string, string> {
  return { authorization: conn.authorization, accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION, 'content-type': 'application/json' };
}

/** The error a failed GitHub call ends the step with: rate limits retryable until their reset, validation reports kept. */
export function gitHubFailure(res: HttpResponse, nowMs = Date.now()): ItwError {
  const detail = describeError(res.body);
  if (isRateLimited(res)) {
    return serviceError(res, { label: 'GitHub', code: 'github_rate_limited', detail, retryable: true, retryAfterMs: untilReset(res, nowMs) }, nowMs);
  }
  return serviceError(res, { label: 'GitHub', code: statusCode('github', res.status), detail }, nowMs);
}

/** `owner/repo`; `.` and `..` are refused: URL parsing would resolve them into another API path. */
export const GITHUB_REPOSITORY_PATTERN = '^(?!\\.{1,2}/)[\\w.-]+/(?!\\.{1,2}$)[\\w.-]+$';

/** `/repos/{owner}/{repo}` of an `owner/repo`, each part encoded. */
export function repoPath(repository: string): string {
  const [owner = '', repo = ''] = repository.split('/');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

/** One REST call under the connection's base URL; a non-2xx answer throws gitHubFailure. */
export async function gitHubCall(conn: TicketConnection, method: 'GET' | 'POST' | 'PATCH', path: string, body: unknown, io: Outbound, nowMs = Date.now()): Promise<HttpResponse> {
  const res = await serviceCall(method, { url: `${conn.baseUrl}${path}`, headers: gitHubHeaders(conn), body, ...io });
  if (res.status >= 200 && res.status < 300) return res;
  throw gitHubFailure(res, nowMs);
}

export async function createGitHubIssue(conn: TicketConnection, issue: GitHubIssue, io: Outbound, nowMs = Date.now()): Promise<CreatedTicket> {
  const [owner = '', repo = ''] = issue.repository.split('/');
  const res = await gitHubCall(conn, 'POST', `${repoPath(issue.repository)}/issues`, { title: issue.title, body: issue.description, labels: issue.labels }, io, nowMs);
  const number = stringField(res.body, 'number');
  const url = stringField(res.body, 'html_url');
  if (number === undefined || url === undefined) throw unexpectedResponse('GitHub', res, 'the issue number and html_url');
  return { system: 'github', id: number, key: `${owner}/${repo}#${number}`, url };
}
