import type { ProcessResult } from '../process/run-process.js';
import type { HostResult } from './fleet-ports.js';

/**
 * One host's process result as a fleet entry: succeeded on exit 0, failed otherwise (a timeout or a
 * kill is a failure with its own code).
 */
export function hostResultOf(r: ProcessResult, timeoutSeconds: number): HostResult {
  const base = { exit_code: r.exitCode, stdout: r.stdout, stderr: r.stderr, duration_ms: r.durationMs };
  if (r.timedOut) return { ...base, status: 'failed', error: { code: 'timeout', message: `timed out after ${timeoutSeconds}s` } };
  if (r.exitCode === 0) return { ...base, status: 'succeeded' };
  if (r.exitCode === null) return { ...base, status: 'failed', error: { code: 'killed', message: `killed by ${r.signal ?? 'a signal'}` } };
  return { ...base, status: 'failed' };
}
