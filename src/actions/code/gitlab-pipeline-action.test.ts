import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { testContext } from '../communication/test-context.js';
import { EgressGuard } from '../http/egress-guard.js';
import { gitLabPipelineAction } from './gitlab-pipeline-action.js';

type Params = Parameters<typeof gitLabPipelineAction.run>[0]['params'];

const TOKEN = 'glpat-0123456789abcdefABCD';
const PROJECT = 'ops%2Finfra';
let onCreate: (() => void) | undefined;

/**
 * Pipelines API: PRIVATE-TOKEN; POST /projects/:id/pipeline → 201; GET .../pipelines/:id. Pipeline
 * statuses per ref: `main` answers one 502 then success, `stuck` stays running, `bad` → 400 by field.
 */
function gitlab(req: Recorded, res: ServerResponse): void {
  if (req.headers['private-token'] !== TOKEN) return json(res, 401, { message: '401 Unauthorized' });
  const create = new RegExp(`^/gl/api/v4/projects/([^/]+)/pipeline$`).exec(req.url);
  const poll = new RegExp(`^/gl/api/v4/projects/([^/]+)/pipelines/(\\d+)$`).exec(req.url);
  if ((create ?? poll)?.[1] !== PROJECT) return json(res, 404, { message: '404 Project Not Found' });
  const web = (id: number) => `https://gitlab.example.com/ops/infra/-/pipelines/${id}`;
  if (req.method === 'POST' && create) {
    const { ref } = JSON.parse(req.body) as { ref: string };
    if (ref === 'busy') return json(res, 429, { message: 'Retry later' }, { 'retry-after': '20' });
    if (ref === 'bad') return json(res, 400, { message: { base: ['Reference not found'] } });
    const id = ref === 'stuck' ? 202 : 201;
    onCreate?.();
    return json(res, 201, { id, iid: 7, project_id: 42, status: 'created', ref, sha: 'a91957a858320c0e17f3a0eca7cfacbff50ea29a', web_url: web(id) });
  }
  if (req.method === 'GET' && poll) {
    const id = Number(poll[2]);
    const seen = gl.requests.filter((r) => r.url === req.url).length;
    if (id === 201 && seen === 1) return json(res, 502, { message: '502 Bad Gateway' });
    return json(res, 200, { id, status: id === 201 ? 'success' : 'running', ref: 'main', web_url: web(id) });
  }
  json(res, 404, { message: '404 Not Found' });
}

let gl: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  gl = await httpFixture(gitlab);
  creds = [
    { id: 'gl', type: 'gitlab', data: { token: TOKEN, base_url: `${gl.url}/gl` } },
    { id: 'gl-stale', type: 'gitlab', data: { token: 'glpat-staleStaleStale00', base_url: `${gl.url}/gl` } },
  ];
});
afterAll(() => gl.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => gitLabPipelineAction.run({ ...ctx, params: nodeParams(gitLabPipelineAction, params) })) };
}
const failure = async (params: Params) => (await run(params).result.catch((e: unknown) => e)) as NonRetryableError;

describe('gitlab_pipeline', () => {
  it('triggers a pipeline with variables and returns at once without wait', async () => {
    const { result, lines } = run({ credential_id: 'gl', project: 'ops/infra', ref: 'release', variables: { DEPLOY_ENV: 'staging' } });
    const out = await result;
    expect(Value.Check(gitLabPipelineAction.output, out)).toBe(true);
    expect(out).toEqual({ pipeline_id: 201, status: 'created', web_url: 'https://gitlab.example.com/ops/infra/-/pipelines/201' });
    expect(gl.requests.at(-1)).toMatchObject({ method: 'POST', url: `/gl/api/v4/projects/${PROJECT}/pipeline`, headers: { 'private-token': TOKEN, 'content-type': 'application/json' } });
    expect(JSON.parse(gl.requests.at(-1)!.body)).toEqual({ ref: 'release', variables: [{ key: 'DEPLOY_ENV', value: 'staging', variable_type: 'env_var' }] });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('waits through a transient 502 until the pipeline succeeds', async () => {
    const before = gl.requests.length;
    const { result, lines } = run({ credential_id: 'gl', project: 'ops/infra', ref: 'main', wait: true, poll_seconds: 1 });
    expect(await result).toMatchObject({ pipeline_id: 201, status: 'success' });
    expect(gl.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /gl/api/v4/projects/${PROJECT}/pipeline`,
      `GET /gl/api/v4/projects/${PROJECT}/pipelines/201`,
      `GET /gl/api/v4/projects/${PROJECT}/pipelines/201`,
    ]);
    expect(lines.map((l) => l.level)).toEqual(['info', 'warn', 'info']);
  });

  it('gives up waiting after timeout_seconds with gitlab_pipeline_timeout, not retryable (a retry would start another pipeline)', async () => {
    const err = await failure({ credential_id: 'gl', project: 'ops/infra', ref: 'stuck', wait: true, poll_seconds: 1, timeout_seconds: 1 });
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code: 'gitlab_pipeline_timeout', message: 'GitLab pipeline 202 was still running after 1s', details: { pipeline_id: 202 } });
  });

  it('stops waiting when the step is cancelled', async () => {
    const ac = new AbortController();
    const { ctx } = testContext<Params>({ credential_id: 'gl', project: 'ops/infra', ref: 'stuck', wait: true, poll_seconds: 600 }, creds);
    onCreate = () => ac.abort();
    try {
      await expect(gitLabPipelineAction.run({ ...ctx, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      onCreate = undefined;
    }
  });

  it('fails with GitLab’s message: 401 (never the token), 404, 400 by field; 429 retryable', async () => {
    const auth = await failure({ credential_id: 'gl-stale', project: 'ops/infra', ref: 'main' });
    expect(auth).toMatchObject({ code: 'gitlab_auth', message: 'GitLab answered HTTP 401: 401 Unauthorized' });
    expect(JSON.stringify({ m: auth.message, d: auth.details })).not.toContain('staleStale');
    await expect(failure({ credential_id: 'gl', project: 'ops/other', ref: 'main' })).resolves.toMatchObject({ code: 'gitlab_not_found', message: 'GitLab answered HTTP 404: 404 Project Not Found' });
    await expect(failure({ credential_id: 'gl', project: 'ops/infra', ref: 'bad' })).resolves.toMatchObject({ code: 'gitlab_invalid', message: 'GitLab answered HTTP 400: base: Reference not found' });
    const busy = await failure({ credential_id: 'gl', project: 'ops/infra', ref: 'busy' });
    expect(busy).toBeInstanceOf(RetryableError);
    expect(busy).toMatchObject({ code: 'gitlab_rate_limited', retryAfterMs: 20_000 });
  });

  it('sends nothing where the egress policy refuses', async () => {
    const before = gl.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'gl', project: 'ops/infra', ref: 'main' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(gl.requests).toHaveLength(before);
  });

  it.each([
    [{ project: '..' }, '/project'],
    [{ project: 'ops' }, '/project'],
    [{ variables: { 'BAD-NAME': 'x' } }, '/variables/BAD-NAME'],
    [{ poll_seconds: 0 }, '/poll_seconds'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(gitLabPipelineAction.params, { credential_id: 'gl', project: '42', ref: 'main', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the token', () => {
    expect(gitLabPipelineAction.plan?.(testContext<Params>({ credential_id: 'gl', project: 'ops/infra', ref: 'main', variables: { A: '1' }, wait: true }).ctx)).toBe(
      'run a GitLab pipeline of ops/infra on main with A, waiting for it to end',
    );
  });
});
