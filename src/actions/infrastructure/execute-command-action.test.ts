import { describe, expect, it } from 'vitest';
import { noCredentials } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { executeCommandAction } from './execute-command-action.js';
import { processesRunning } from '../../../test/support/processes.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof executeCommandAction.run>[0]['params'];
/** Without `targets`: one run's result, not a fleet outcome. */
type OneRun = Extract<Awaited<ReturnType<typeof executeCommandAction.run>>, { signal: unknown }>;
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: noCredentials, services: testServices() });

describe('execute_command', () => {
  it('runs argv and returns exit code, output and duration', async () => {
    const out = await executeCommandAction.run(ctx({ command: ['sh', '-c', 'echo "$A"; echo warn >&2', 'sh'], env: { A: 'one two' } })) as OneRun;
    expect(out).toMatchObject({ exit_code: 0, signal: null, stdout: 'one two\n', stderr: 'warn\n', truncated: false });
    expect(out.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('runs a command string only with shell: true', async () => {
    await expect(executeCommandAction.run(ctx({ command: 'echo hi | tr a-z A-Z' }))).rejects.toMatchObject({ code: 'invalid_params' });
    const out = await executeCommandAction.run(ctx({ command: 'echo hi | tr a-z A-Z', shell: true })) as OneRun;
    expect(out.stdout).toBe('HI\n');
  });

  it('fails with command_failed on a non-zero exit, unless told not to', async () => {
    const failing = executeCommandAction.run(ctx({ command: ['sh', '-c', 'echo broken >&2; exit 7'] }));
    await expect(failing).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failing).rejects.toMatchObject({ code: 'command_failed', details: { exit_code: 7, stderr_tail: 'broken\n' } });
    const out = await executeCommandAction.run(ctx({ command: ['sh', '-c', 'exit 7'], fail_on_exit_code: false })) as OneRun;
    expect(out.exit_code).toBe(7);
  });

  it('kills the process tree at the timeout with a retryable timeout error', async () => {
    // The pid printed inside the sandbox's PID namespace means nothing here: look for the argv instead.
    const marker = `${30 + Math.random()}`;
    const run = executeCommandAction.run(ctx({ command: ['sh', '-c', `sleep ${marker} & wait`], timeout_seconds: 1 }));
    await expect(run).rejects.toBeInstanceOf(RetryableError);
    const err = await run.then(
      () => expect.fail('expected a timeout'),
      (e: unknown) => e as RetryableError,
    );
    expect(err.code).toBe('timeout');
    expect(processesRunning(`sleep ${marker}`)).toEqual([]);
  });

  it('reports a missing program clearly', async () => {
    await expect(executeCommandAction.run(ctx({ command: ['no-such-program-itw'] }))).rejects.toMatchObject({ code: 'command_not_found', retryable: false });
  });

  it('plans the argv', () => {
    expect(executeCommandAction.plan?.(ctx({ command: ['systemctl', 'restart', 'nginx'] }))).toBe('run ["systemctl","restart","nginx"]');
  });
});
