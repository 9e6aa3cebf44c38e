import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { DeploymentOutput } from './deploy-application-action.js';
import { deployMethodParams, describeMethod } from './deploy-method.js';
import { deployAndRecord } from './record-deployment.js';
import { findRollbackTarget } from './rollback-target.js';

/** The target is only known at run time, after template resolution, so it has its own placeholder. */
const VERSION_PLACEHOLDER = '{version}';

const RollbackDeploymentParams = Type.Object(
  {
    application: Type.String({ minLength: 1 }),
    environment: Type.String({ minLength: 1 }),
    to_version: Type.Optional(Type.String({ minLength: 1, description: 'Default: the previous successfully deployed version' })),
    ...deployMethodParams,
  },
  { additionalProperties: false, description: `In \`command\`, ${VERSION_PLACEHOLDER} is replaced by the version rolled back to` },
);

export const rollbackDeploymentAction = defineAction({
  id: 'rollback_deployment',
  category: 'deployment',
  name: 'Rollback Deployment',
  description: 'Redeploys the previous successful version (or a given one) with the same method and records it as a rollback.',
  params: RollbackDeploymentParams,
  codeParams: { command: CODE_HINTS.deploy },
  output: DeploymentOutput,
  async run(ctx) {
    const { application, environment } = ctx.params;
    const ledger = ctx.services.deployments;
    const live = await ledger.latest(application, environment);
    const version = ctx.params.to_version ?? (live ? (await findRollbackTarget(ledger, live))?.version : undefined);
    if (version === undefined || version === live?.version) {
      throw new NonRetryableError('nothing_to_roll_back', `no earlier successful deployment of ${application} in ${environment} to roll back to`, {
        details: { application, environment, live_version: live?.version ?? null },
      });
    }
    const method = { ...ctx.params, command: ctx.params.command?.map((arg) => arg.replaceAll(VERSION_PLACEHOLDER, version)) };
    const d = await deployAndRecord(ctx, method, { application, environment, version, previous_version: live?.version ?? null, rollback: true });
    return { deployment_id: d.id, application, environment, version: d.version, previous_version: d.previous_version, rollback: true };
  },
  plan(ctx) {
    const p = ctx.params;
    return `roll back ${p.application} in ${p.environment} to ${p.to_version ?? 'the previous version'}: ${describeMethod(p)}`;
  },
});
