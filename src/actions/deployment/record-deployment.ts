import type { ActionContext } from '../define-action.js';
import { NonRetryableError } from '../../model/errors.js';
import { checkDeployMethod, performDeploy, type DeployMethod, type DeployTarget } from './deploy-method.js';
import type { Deployment } from './deployment-ledger.js';

/**
 * Deploys and writes the outcome to the ledger, succeeded or failed.
 * At-least-once dispatch: a step re-run with the same idempotency key (after a crash) finds the row
 * its first run wrote and returns it, or fails as it did, instead of deploying a second time.
 */
export async function deployAndRecord(ctx: ActionContext<unknown>, m: DeployMethod, target: DeployTarget): Promise<Deployment> {
  checkDeployMethod(m);
  const ledger = ctx.services.deployments;
  const earlier = await ledger.byIdempotencyKey(ctx.idempotencyKey);
  if (earlier?.status === 'succeeded') return earlier;
  if (earlier) {
    throw new NonRetryableError('deploy_failed', `this step already failed to deploy ${target.application}@${target.version}`, {
      details: { deployment_id: earlier.id },
    });
  }
  const row = { ...target, method: m.method, idempotency_key: ctx.idempotencyKey };
  try {
    await performDeploy(ctx, m, target);
  } catch (err) {
    await ledger.record({ ...row, status: 'failed' });
    throw err;
  }
  return ledger.record({ ...row, status: 'succeeded' });
}
