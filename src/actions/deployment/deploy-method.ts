import { Type } from '@sinclair/typebox';
import type { ActionContext } from '../define-action.js';
import { NonRetryableError } from '../../model/errors.js';
import { httpAuth } from '../data/http-auth.js';
import { describeRequest, httpRequest, httpStatusError } from '../http/http-client.js';
import { describeEnd, throwIfFailed, throwIfKilled } from '../process/process-outcome.js';
import { runProcess } from '../process/run-process.js';

export const DEPLOY_METHODS = ['command', 'webhook'] as const;
export const DEFAULT_DEPLOY_TIMEOUT_SECONDS = 600;

/** Params shared by deploy_application and rollback_deployment. */
export const deployMethodParams = {
  method: Type.Union(DEPLOY_METHODS.map((m) => Type.Literal(m))),
  command: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'argv for method "command", run in the sandbox; also gets DEPLOY_* environment variables' })),
  url: Type.Optional(Type.String({ description: 'Webhook POSTed a JSON description of the deployment, method "webhook"' })),
  credential_id: Type.Optional(Type.String({ description: 'http_bearer/http_basic/http_header credential for the webhook' })),
  timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: DEFAULT_DEPLOY_TIMEOUT_SECONDS })),
  allow_network: Type.Optional(Type.Boolean({ default: false, description: 'Method "command": share the host network (sandboxed otherwise); refused while the egress guard is on unless ITW_SCRIPT_NETWORK=host' })),
};

export interface DeployMethod {
  readonly method: (typeof DEPLOY_METHODS)[number];
  readonly command?: readonly string[] | undefined;
  readonly url?: string | undefined;
  readonly credential_id?: string | undefined;
  readonly timeout_seconds?: number | undefined;
  readonly allow_network?: boolean | undefined;
}

export interface DeployTarget {
  readonly application: string;
  readonly environment: string;
  readonly version: string;
  readonly previous_version: string | null;
  readonly rollback: boolean;
}

export function describeMethod(m: DeployMethod): string {
  return m.method === 'command' ? `run ${JSON.stringify(m.command ?? [])}` : describeRequest('POST', m.url ?? '');
}

/** Config errors surface before anything is recorded: a missing command is not a failed deployment. */
export function checkDeployMethod(m: DeployMethod): void {
  if (m.method === 'command' && !m.command) throw new NonRetryableError('invalid_params', 'method "command" needs `command` (argv)');
  if (m.method === 'webhook' && !m.url) throw new NonRetryableError('invalid_params', 'method "webhook" needs `url`');
}

/** Runs the deploy command or calls the webhook; throws the step's error when it did not succeed. */
export async function performDeploy(ctx: ActionContext<unknown>, m: DeployMethod, target: DeployTarget): Promise<void> {
  const timeoutSeconds = m.timeout_seconds ?? DEFAULT_DEPLOY_TIMEOUT_SECONDS;
  const what = `${target.rollback ? 'rollback' : 'deploy'} ${target.application}@${target.version} to ${target.environment}`;
  if (m.method === 'command') {
    if (!m.command) throw new NonRetryableError('invalid_params', 'method "command" needs `command` (argv)');
    const r = await runProcess({
      argv: m.command,
      env: {
        DEPLOY_APPLICATION: target.application,
        DEPLOY_ENVIRONMENT: target.environment,
        DEPLOY_VERSION: target.version,
        DEPLOY_PREVIOUS_VERSION: target.previous_version ?? '',
        DEPLOY_ROLLBACK: target.rollback ? '1' : '0',
      },
      timeoutMs: timeoutSeconds * 1000,
      signal: ctx.signal,
      sandbox: { network: m.allow_network ?? false, step: ctx.idempotencyKey, service: ctx.services.sandbox },
    });
    ctx.log.log(r.exitCode === 0 ? 'info' : 'warn', `${what}: ${describeEnd(r)}`, { exit_code: r.exitCode, duration_ms: r.durationMs });
    throwIfKilled(r, what, timeoutSeconds);
    throwIfFailed(r, what, 'deploy_failed');
    return;
  }
  if (!m.url) throw new NonRetryableError('invalid_params', 'method "webhook" needs `url`');
  const auth = await httpAuth(ctx.credentials, m.credential_id);
  const res = await httpRequest({
    method: 'POST',
    url: m.url,
    headers: { ...auth?.headers, 'idempotency-key': ctx.idempotencyKey },
    ...(auth ? { credential: auth.credential } : {}),
    body: { ...target, deployment_key: ctx.idempotencyKey },
    timeoutMs: timeoutSeconds * 1000,
    signal: ctx.signal,
    egress: ctx.services.egress,
  });
  ctx.log.log('info', `${what}: ${describeRequest('POST', res.url)} → ${res.status}`, { status: res.status });
  const err = httpStatusError(res);
  if (err) throw err;
}
