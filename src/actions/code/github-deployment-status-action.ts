import { type Static, Type } from '@sinclair/typebox';
import { GITHUB_REPOSITORY_PATTERN, gitHubCall, gitHubConnection, repoPath } from '../communication/github-client.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { stringField, unexpectedResponse } from '../communication/service-http.js';
import type { TicketConnection } from '../communication/ticket.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';

const ID = 'github_deployment_status';
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'] as const;
const Url = (description: string) => Type.Optional(Type.String({ pattern: '^https?://', description }));

const GitHubDeploymentStatusParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type github: {token (deployments: write), base_url?}' }),
    repository: Type.String({ pattern: GITHUB_REPOSITORY_PATTERN, description: 'owner/repo' }),
    deployment_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Deployment to report on; without it a deployment of ref is created first' })),
    ref: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Branch, tag or SHA to create the deployment for (when no deployment_id)' })),
    task: Type.Optional(Type.String({ minLength: 1, description: 'Deployment task (GitHub default: deploy)' })),
    payload: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Extra data stored with a created deployment' })),
    production_environment: Type.Optional(Type.Boolean({ description: 'Whether a created deployment is to production' })),
    state: Type.Union(STATES.map((s) => Type.Literal(s)), { description: 'error, failure, inactive, in_progress, queued, pending or success' }),
    environment: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Environment name (e.g. production, staging)' })),
    environment_url: Url('Where the deployed app can be reached'),
    log_url: Url('Where the deployment logs are'),
    description: Type.Optional(Type.String({ maxLength: 140, description: 'Short text for the status (at most 140 characters)' })),
    auto_inactive: Type.Optional(Type.Boolean({ description: 'Mark earlier successful deployments to the environment inactive (GitHub default: true)' })),
  },
  { additionalProperties: false },
);

const GitHubDeploymentStatusOutput = Type.Object({
  deployment_id: Type.Integer({ description: 'The deployment the status belongs to' }),
  status_id: Type.Integer({ description: 'Id of the new status' }),
  state: Type.String(),
  created_deployment: Type.Boolean({ description: 'true when this step created the deployment' }),
});

type Params = Static<typeof GitHubDeploymentStatusParams>;

function integerField(body: unknown, name: string): number | undefined {
  const value = Number(stringField(body, name));
  return Number.isInteger(value) ? value : undefined;
}

/**
 * POST /repos/{o}/{r}/deployments. auto_merge off and no required contexts: the step reports a
 * deployment the pipeline already runs, so GitHub must neither merge the default branch into ref
 * (answering 202 without a deployment) nor refuse over pending commit checks.
 */
async function createDeployment(ctx: ActionContext<Params>, conn: TicketConnection): Promise<number> {
  const p = ctx.params;
  if (p.ref === undefined) throw invalidParam(ID, '/ref', 'ref is required to create a deployment (or give deployment_id)');
  const body = {
    ref: p.ref, task: p.task, payload: p.payload, environment: p.environment, description: p.description,
    production_environment: p.production_environment, auto_merge: false, required_contexts: [],
  };
  const res = await gitHubCall(conn, 'POST', `${repoPath(p.repository)}/deployments`, body, outbound(ctx));
  const id = integerField(res.body, 'id');
  if (id === undefined) throw unexpectedResponse('GitHub', res, 'the deployment id');
  ctx.log.log('info', `created GitHub deployment ${id} of ${p.ref}`, { deployment_id: id });
  return id;
}

export const gitHubDeploymentStatusAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'code',
  name: 'GitHub Deployment Status',
  description: 'Reports a deployment status (queued, in_progress, success, failure...) with environment and log links to GitHub, creating the deployment of a ref first when no deployment id is given.',
  params: GitHubDeploymentStatusParams,
  output: GitHubDeploymentStatusOutput,
  async run(ctx) {
    const p = ctx.params;
    const conn = gitHubConnection(await ctx.credentials.get(p.credential_id, ['github']));
    return withSecretsMasked(conn.secrets, async () => {
      const created = p.deployment_id === undefined;
      const deploymentId = p.deployment_id ?? (await createDeployment(ctx, conn));
      const body = { state: p.state, environment: p.environment, environment_url: p.environment_url, log_url: p.log_url, description: p.description, auto_inactive: p.auto_inactive };
      const res = await gitHubCall(conn, 'POST', `${repoPath(p.repository)}/deployments/${deploymentId}/statuses`, body, outbound(ctx));
      const statusId = integerField(res.body, 'id');
      if (statusId === undefined) throw unexpectedResponse('GitHub', res, 'the status id');
      ctx.log.log('info', `GitHub deployment ${deploymentId} is ${p.state}`, { deployment_id: deploymentId, status_id: statusId });
      return { deployment_id: deploymentId, status_id: statusId, state: stringField(res.body, 'state') ?? p.state, created_deployment: created };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const which = p.deployment_id === undefined ? `a new deployment of ${p.ref ?? '(no ref)'}` : `deployment ${p.deployment_id}`;
    return `set ${which} in ${p.repository}${p.environment === undefined ? '' : ` (${p.environment})`} to ${p.state}`;
  },
});
