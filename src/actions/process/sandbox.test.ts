import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProcess } from './run-process.js';
import { stepSandbox, type SandboxRefusal, type StepSandbox } from './sandbox-policy.js';

/** Network interfaces a process sees, from /proc/net/dev (its own network namespace's). */
const INTERFACES = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' '";
const hostInterfaces = readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter(Boolean).sort().join(' ');

/** The default policy of an app whose egress guard is on. */
const guarded = stepSandbox(undefined, { egressGuarded: true });

const run = (network: boolean, service: StepSandbox, step = 'exec1:node1:root:1') =>
  runProcess({ argv: ['sh', '-c', INTERFACES], timeoutMs: 10_000, sandbox: { network, step, service } });

describe('sandbox network', () => {
  it('has only loopback without network; the host\'s interfaces with network while the egress guard is off', async () => {
    const unguarded = stepSandbox(undefined, { egressGuarded: false });
    expect((await run(false, unguarded)).stdout.trim()).toBe('lo');
    expect((await run(true, unguarded)).stdout.trim()).toBe(hostInterfaces);
  });

  it('refuses network while the egress guard is on (it cannot check a sandbox\'s connections), and reports it', async () => {
    const refused: SandboxRefusal[] = [];
    const audited = stepSandbox(undefined, { egressGuarded: true, onRefusal: (r) => refused.push(r) });
    await expect(run(true, audited)).rejects.toMatchObject({ code: 'egress_unenforceable', retryable: false, message: expect.stringContaining('ITW_SCRIPT_NETWORK=host') });
    expect(refused).toEqual([expect.objectContaining({ code: 'egress_unenforceable', step: 'exec1:node1:root:1' })]);
    // Without network the guard has nothing to check.
    expect((await run(false, audited)).stdout.trim()).toBe('lo');
  });

  it('shares the host network past the guard only when the site says ITW_SCRIPT_NETWORK=host', async () => {
    expect((await run(true, stepSandbox({ network: 'host' }, { egressGuarded: true }))).stdout.trim()).toBe(hostInterfaces);
  });
});

describe('sandbox paths and outcomes', () => {
  it('refuses a working directory the site did not show sandboxes', async () => {
    await expect(runProcess({ argv: ['pwd'], cwd: '/root', timeoutMs: 10_000, sandbox: { network: false, service: guarded } })).rejects.toMatchObject({ code: 'sandbox_path_denied' });
  });

  it('reports a command killed by a signal as that signal, and a missing program as command_not_found', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'kill -XCPU $$'], timeoutMs: 10_000, sandbox: { network: false, service: guarded } });
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGXCPU' });
    await expect(runProcess({ argv: ['no-such-program-itw'], timeoutMs: 10_000, sandbox: { network: false, service: guarded } })).rejects.toMatchObject({ code: 'command_not_found' });
  });

  it('caps the processes of a sandbox (RLIMIT_NPROC): a fork bomb fails instead of filling the host', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'i=0; while [ $i -lt 400 ]; do sleep 5 & i=$((i+1)); done; echo all-started'], timeoutMs: 20_000, sandbox: { network: false, service: guarded } });
    expect(r.stdout).not.toContain('all-started');
    expect(r.stderr).toMatch(/fork|Resource temporarily unavailable/i);
  });
});
