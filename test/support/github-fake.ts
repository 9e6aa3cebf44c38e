// Test support: a GitHub REST fake for issues and deployments that checks the headers GitHub documents.
import type { ServerResponse } from 'node:http';
import { httpFixture, json, type Recorded } from './http-fixture.js';

export const GITHUB_TOKEN = 'ghp_fakeTokenForTests0123456789abcdefABCD';
export const GITHUB_REPO = 'acme/ops';

interface Issue { number: number; state: 'open' | 'closed'; state_reason: string | null; title: string; comments: string[] }

/**
 * `/repos/acme/ops/...` under `/api/v3`: issues (create, comment, PATCH), deployments and their
 * statuses. `acme/limited` answers the primary rate limit (403, x-ratelimit-remaining 0); other
 * repositories 404. Requests without the documented headers are refused as GitHub refuses them.
 */
export async function gitHubFake() {
  const issues = new Map<number, Issue>([[12, { number: 12, state: 'open', state_reason: null, title: 'Database down', comments: [] }]]);
  const deployments = new Map<number, { ref: string; environment: string; statuses: Array<Record<string, unknown>> }>([[9001, { ref: 'main', environment: 'production', statuses: [] }]]);
  let nextIssue = 13;
  let nextDeployment = 9002;

  function handle(req: Recorded, res: ServerResponse): void {
    if (!req.headers['user-agent']) return json(res, 403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header' });
    if (req.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (req.headers.accept !== 'application/vnd.github+json' || req.headers['x-github-api-version'] !== '2022-11-28') return json(res, 400, { message: 'Unsupported API version or media type' });
    const m = /^\/api\/v3\/repos\/([^/]+\/[^/]+)\/(.*)$/.exec(req.url);
    if (m?.[1] === 'acme/limited') {
      return json(res, 403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) });
    }
    if (!m || m[1] !== GITHUB_REPO) return json(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const body = (req.body ? JSON.parse(req.body) : {}) as Record<string, string | undefined>;
    const rest = m[2]!;
    const url = (n: number) => `https://github.com/${GITHUB_REPO}/issues/${n}`;
    const issueOut = (i: Issue) => ({ id: 100_000 + i.number, number: i.number, html_url: url(i.number), state: i.state, state_reason: i.state_reason, title: i.title });
    if (req.method === 'POST' && rest === 'issues') {
      if (!body['title']) return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] });
      const i: Issue = { number: nextIssue++, state: 'open', state_reason: null, title: String(body['title']), comments: [] };
      issues.set(i.number, i);
      return json(res, 201, issueOut(i));
    }
    const issue = /^issues\/(\d+)(\/comments)?$/.exec(rest);
    if (issue) {
      const i = issues.get(Number(issue[1]));
      if (!i) return json(res, 404, { message: 'Not Found' });
      if (req.method === 'POST' && issue[2]) {
        if (!body['body']) return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
        i.comments.push(String(body['body']));
        return json(res, 201, { id: 5_000 + i.comments.length, html_url: `${url(i.number)}#issuecomment-${5_000 + i.comments.length}`, body: body['body'] });
      }
      if (req.method === 'PATCH' && !issue[2]) {
        if (body['state'] !== undefined && body['state'] !== 'open' && body['state'] !== 'closed') return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', field: 'state' }] });
        if (body['state'] === 'closed') Object.assign(i, { state: 'closed', state_reason: body['state_reason'] ?? 'completed' });
        if (typeof body['title'] === 'string') i.title = body['title'];
        return json(res, 200, issueOut(i));
      }
    }
    if (req.method === 'POST' && rest === 'deployments') {
      if (!body['ref']) return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Deployment', code: 'missing_field', field: 'ref' }] });
      if (body['ref'] === 'conflict') return json(res, 409, { message: 'Conflict merging main into conflict.' });
      const id = nextDeployment++;
      deployments.set(id, { ref: String(body['ref']), environment: String(body['environment'] ?? 'production'), statuses: [] });
      return json(res, 201, { id, ref: body['ref'], environment: body['environment'] ?? 'production', url: `https://api.github.com/repos/${GITHUB_REPO}/deployments/${id}` });
    }
    const status = /^deployments\/(\d+)\/statuses$/.exec(rest);
    if (req.method === 'POST' && status) {
      const d = deployments.get(Number(status[1]));
      if (!d) return json(res, 404, { message: 'Not Found' });
      const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
      if (!states.includes(String(body['state']))) return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }] });
      d.statuses.push(body);
      return json(res, 201, { id: 70_000 + d.statuses.length, state: body['state'], environment: body['environment'] ?? d.environment, url: `https://api.github.com/repos/${GITHUB_REPO}/deployments/${status[1]}/statuses/${70_000 + d.statuses.length}` });
    }
    json(res, 404, { message: 'Not Found' });
  }

  const fixture = await httpFixture(handle);
  return { ...fixture, baseUrl: `${fixture.url}/api/v3`, issues, deployments };
}
