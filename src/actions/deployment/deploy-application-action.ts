import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { deployMethodParams, describeMethod } from './deploy-method.js';
import { deployAndRecord } from './record-deployment.js';

const DeployApplicationParams = Type.Object(
  {
    application: Type.String({ minLength: 1 }),
    version: Type.String({ minLength: 1 }),
    environment: Type.String({ minLength: 1 }),
    ...deployMethodParams,
  },
  { additionalProperties: false },
);

export const DeploymentOutput = Type.Object({
  deployment_id: Type.String(),
  application: Type.String(),
  environment: Type.String(),
  version: Type.String(),
  previous_version: Type.Union([Type.String(), Type.Null()]),
  rollback: Type.Boolean(),
});

export const deployApplicationAction = defineAction({
  id: 'deploy_application',
  category: 'deployment',
  name: 'Deploy Application',
  description: 'Deploys a version with a command or a webhook and records it in the deployment history.',
  params: DeployApplicationParams,
  codeParams: { command: CODE_HINTS.deploy },
  output: DeploymentOutput,
  async run(ctx) {
    const { application, environment, version } = ctx.params;
    const live = await ctx.services.deployments.latest(application, environment);
    const d = await deployAndRecord(ctx, ctx.params, { application, environment, version, previous_version: live?.version ?? null, rollback: false });
    return { deployment_id: d.id, application, environment, version: d.version, previous_version: d.previous_version, rollback: false };
  },
  plan(ctx) {
    const p = ctx.params;
    return `deploy ${p.application}@${p.version} to ${p.environment}: ${describeMethod(p)}`;
  },
});
