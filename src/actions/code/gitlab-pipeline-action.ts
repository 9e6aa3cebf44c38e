import { setTimeout as sleep } from 'node:timers/promises';
import { type Static, Type } from '@sinclair/typebox';
import { ItwError, NonRetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { createGitLabPipeline, getGitLabPipeline, type GitLabConnection, gitLabConnection, type GitLabPipeline } from './gitlab-client.js';

const ID = 'gitlab_pipeline';
/** Statuses after which a pipeline does not move on by itself. */
const FINAL_STATUSES = new Set(['success', 'failed', 'canceled', 'skipped']);
const DEFAULT_POLL_SECONDS = 10;
const DEFAULT_TIMEOUT_SECONDS = 3600;

const GitLabPipelineParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type gitlab: {token (api scope, Developer role), base_url? (default https://gitlab.com)}' }),
    project: Type.String({ pattern: '^(\\d+|[\\w.-]+(/[\\w.-]+)+)$', description: 'Project id (42) or full path (group/subgroup/project)' }),
    ref: Type.String({ minLength: 1, maxLength: 255, description: 'Branch or tag to run the pipeline for' }),
    variables: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String(), { additionalProperties: false, description: 'CI/CD variables for this pipeline (name → value), passed as env_var variables' }),
    ),
    wait: Type.Optional(Type.Boolean({ default: false, description: 'Wait until the pipeline ends (success, failed, canceled or skipped)' })),
    poll_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, default: DEFAULT_POLL_SECONDS, description: 'Seconds between status checks while waiting' })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, default: DEFAULT_TIMEOUT_SECONDS, description: 'Give up waiting after this long (the pipeline keeps running); the step fails with gitlab_pipeline_timeout' })),
  },
  { additionalProperties: false },
);

const GitLabPipelineOutput = Type.Object({
  pipeline_id: Type.Integer(),
  status: Type.String({ description: 'created or pending right after the trigger; with wait, the final status: success, failed, canceled or skipped' }),
  web_url: Type.String({ description: 'Page of the pipeline' }),
});

type Params = Static<typeof GitLabPipelineParams>;

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (cause) {
    throw new ItwError('cancelled', 'cancelled while waiting for the GitLab pipeline', { cause });
  }
}

/**
 * Polls until a final status. The pipeline was already created, so a failed poll must not fail the
 * step (a retry would start a second pipeline): transient errors are logged and polling goes on.
 */
async function waitForEnd(ctx: ActionContext<Params>, conn: GitLabConnection, started: GitLabPipeline): Promise<GitLabPipeline> {
  const p = ctx.params;
  const deadline = Date.now() + (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const pollMs = (p.poll_seconds ?? DEFAULT_POLL_SECONDS) * 1000;
  let current = started;
  while (!FINAL_STATUSES.has(current.status)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new NonRetryableError('gitlab_pipeline_timeout', `GitLab pipeline ${current.id} was still ${current.status} after ${p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS}s`, {
        details: { pipeline_id: current.id, status: current.status, web_url: current.web_url },
      });
    }
    await pause(Math.min(pollMs, left), ctx.signal);
    try {
      const next = await getGitLabPipeline(conn, p.project, current.id, outbound(ctx));
      if (next.status !== current.status) ctx.log.log('info', `GitLab pipeline ${next.id} is ${next.status}`, { pipeline_id: next.id, status: next.status });
      current = next;
    } catch (err) {
      if (!(err instanceof ItwError) || !err.retryable || ctx.signal.aborted) throw err;
      ctx.log.log('warn', `checking GitLab pipeline ${current.id} failed, trying again: ${err.message}`);
    }
  }
  return current;
}

export const gitLabPipelineAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'code',
  name: 'GitLab Pipeline',
  description: 'Runs a GitLab CI/CD pipeline for a branch or tag with variables (POST /projects/:id/pipeline) and optionally waits for it to end, polling its status.',
  params: GitLabPipelineParams,
  output: GitLabPipelineOutput,
  async run(ctx) {
    const p = ctx.params;
    const conn = gitLabConnection(await ctx.credentials.get(p.credential_id, ['gitlab']));
    return withSecretsMasked([conn.token], async () => {
      const started = await createGitLabPipeline(conn, p.project, p.ref, p.variables ?? {}, outbound(ctx));
      ctx.log.log('info', `started GitLab pipeline ${started.id} on ${p.ref}`, { pipeline_id: started.id, web_url: started.web_url });
      const end = p.wait === true ? await waitForEnd(ctx, conn, started) : started;
      return { pipeline_id: end.id, status: end.status, web_url: end.web_url };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const vars = Object.keys(p.variables ?? {});
    return `run a GitLab pipeline of ${p.project} on ${p.ref}${vars.length > 0 ? ` with ${vars.join(', ')}` : ''}${p.wait === true ? ', waiting for it to end' : ''}`;
  },
});
