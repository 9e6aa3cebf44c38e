import type { FastifyBaseLogger } from 'fastify';
import type { EngineEvent } from '../../engine/engine-events.js';
import { isFinalExecutionStatus } from '../../engine/statuses.js';

/** Structured log lines for what the engine commits: ids, statuses and error codes, never inputs or outputs. */
export function logEngineEvent(log: FastifyBaseLogger, e: EngineEvent): void {
  if (e.type === 'node') {
    const r = e.run;
    if (r.status === 'failed') {
      log.warn({ execution_id: r.execution_id, node_id: r.node_id, scope: r.scope, attempt: r.attempt, error_code: r.error?.code }, 'node failed');
    } else if (r.status === 'completed') {
      log.debug({ execution_id: r.execution_id, node_id: r.node_id, scope: r.scope, attempt: r.attempt, duration_ms: r.duration_ms }, 'node completed');
    }
    return;
  }
  const x = e.execution;
  if (isFinalExecutionStatus(x.status)) {
    log.info({ execution_id: x.id, workflow_id: x.workflow_id, version: x.version, status: x.status, duration_ms: x.duration_ms, error_code: x.error?.code }, 'execution finished');
  }
}
