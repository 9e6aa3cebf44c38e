import type { Engine } from '../engine/engine.js';
import { planRetry, type RetryFrom } from '../engine/retry-planner.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';
import type { EngineStore, ExecutionRecord, VersionRecord } from '../engine/store-port.js';
import { ConflictError, ItwError, NotFoundError } from '../model/errors.js';
import type { WorkflowRepository } from '../store/workflow-repository.js';
import type { ExecutionStarter } from './execution-starter.js';

export interface RetryRequest {
  readonly executionId: string;
  readonly from: RetryFrom;
  /** `same`: the version the execution ran; `active`: the workflow's active version now. */
  readonly version: 'same' | 'active';
}

export interface RetryDeps {
  readonly engine: Pick<Engine, 'compiled'>;
  readonly executions: Pick<EngineStore, 'loadExecution'>;
  readonly workflows: Pick<WorkflowRepository, 'getWorkflow'>;
  readonly starter: Pick<ExecutionStarter, 'retry' | 'requireVersion'>;
}

/**
 * Retry from the failed step (or from a chosen node): a new execution with `retry_of`, the same input
 * and variables, whose runs before the restart point are copied as reused and the rest run
 * (engine/retry-planner.ts). Only a finished execution can be retried.
 */
export async function retryExecution(deps: RetryDeps, req: RetryRequest): Promise<ExecutionRecord> {
  const loaded = await deps.executions.loadExecution(req.executionId);
  if (!loaded) throw new NotFoundError('execution', req.executionId);
  const original = loaded.execution;
  if (!isFinalExecutionStatus(original.status)) {
    throw new ConflictError(`execution ${original.id} is ${original.status}: only a finished execution can be retried`, { status: original.status });
  }
  const version = await versionFor(deps, original, req.version);
  const plan = planRetry(deps.engine.compiled(version), original.id, loaded.runs, req.from);
  const started = await deps.starter.retry({ original, version, plan, variables: original.variables });
  return started.execution;
}

async function versionFor(deps: RetryDeps, original: ExecutionRecord, which: 'same' | 'active'): Promise<VersionRecord> {
  if (which === 'same') return deps.starter.requireVersion(original.version_id);
  const wf = await deps.workflows.getWorkflow(original.workflow_id);
  if (!wf?.active_version_id) {
    const message = 'the workflow has no active version: retry with version "same"';
    throw new ItwError('validation', message, { details: { errors: [{ in: 'body', path: '/version', message }] } });
  }
  return deps.starter.requireVersion(wf.active_version_id);
}
