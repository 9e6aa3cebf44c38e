import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { tailOf } from './capped-output.js';
import type { ProcessResult } from './run-process.js';

/** The JSON-safe facts an error about a process carries: enough to debug, bounded in size. */
export function processDetails(r: ProcessResult): Record<string, unknown> {
  return {
    exit_code: r.exitCode,
    signal: r.signal,
    duration_ms: r.durationMs,
    stdout_tail: tailOf(r.stdout),
    stderr_tail: tailOf(r.stderr),
  };
}

/** Throws for a timeout (retryable: the tree was killed) or a cancellation; returns otherwise. */
export function throwIfKilled(r: ProcessResult, label: string, timeoutSeconds: number): void {
  if (r.aborted) throw new ItwError('cancelled', `${label} was cancelled; its process tree was killed`, { details: processDetails(r) });
  if (r.timedOut) {
    throw new RetryableError('timeout', `${label} timed out after ${timeoutSeconds}s; its process tree was killed`, {
      details: { ...processDetails(r), timeout_seconds: timeoutSeconds },
    });
  }
}

/** `exit 3` or `killed by SIGKILL`. */
export function describeEnd(r: Pick<ProcessResult, 'exitCode' | 'signal'>): string {
  return r.signal ? `killed by ${r.signal}` : `exit ${r.exitCode ?? '?'}`;
}

/** Throws `code` (non-retryable: the same command would fail the same way) unless it exited 0. */
export function throwIfFailed(r: ProcessResult, label: string, code = 'command_failed'): void {
  if (r.exitCode === 0) return;
  throw new NonRetryableError(code, `${label} failed (${describeEnd(r)})`, { details: processDetails(r) });
}
