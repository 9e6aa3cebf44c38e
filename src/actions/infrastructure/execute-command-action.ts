import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { describeEnd, throwIfFailed, throwIfKilled } from '../process/process-outcome.js';
import { runProcess, type ProcessResult } from '../process/run-process.js';
import { remoteCommandLine, resolveSshTarget, runRemote } from './ssh-exec.js';
import { FleetOutput, fleetParams } from '../fleet/fleet-params.js';
import { runFleet } from '../fleet/run-fleet.js';
import { runOnHost } from '../fleet/ssh-fleet.js';

const DEFAULT_TIMEOUT_SECONDS = 60;

const ExecuteCommandParams = Type.Object(
  {
    command: Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.String({ minLength: 1 })], {
      description: 'argv array (no shell), or one string run by /bin/sh -c when `shell` is true',
    }),
    shell: Type.Optional(Type.Boolean({ default: false, description: 'Required to pass `command` as a shell string' })),
    cwd: Type.Optional(Type.String({ minLength: 1, description: 'Locally: a directory in ITW_SANDBOX_PATHS (default: the sandbox\'s private /tmp)' })),
    env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String(), {
      description: "The command's whole environment besides PATH; the server's is never passed on",
    })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: DEFAULT_TIMEOUT_SECONDS })),
    stdin: Type.Optional(Type.String()),
    fail_on_exit_code: Type.Optional(Type.Boolean({ default: true, description: 'Fail the step (command_failed) on a non-zero exit' })),
    allow_network: Type.Optional(Type.Boolean({ default: false, description: 'Local commands: share the host network (sandboxed otherwise); refused while the egress guard is on unless ITW_SCRIPT_NETWORK=host' })),
    ssh_credential_id: Type.Optional(Type.String({ minLength: 1, description: 'ssh_key credential: run on that host instead' })),
    ...fleetParams,
  },
  { additionalProperties: false },
);

const OneHostOutput = Type.Object({
  exit_code: Type.Union([Type.Integer(), Type.Null()]),
  signal: Type.Union([Type.String(), Type.Null()]),
  stdout: Type.String(),
  stderr: Type.String(),
  duration_ms: Type.Number(),
  truncated: Type.Boolean(),
});

const ExecuteCommandOutput = Type.Union([OneHostOutput, FleetOutput], { description: 'One run, or with `targets` the fleet outcome' });

type Params = (typeof ExecuteCommandParams)['static'];

function commandOf(p: Params): readonly string[] | string {
  if (typeof p.command === 'string') {
    if (!p.shell) throw new NonRetryableError('invalid_params', 'a command string needs `shell: true`; pass an argv array to run without a shell');
    return p.command;
  }
  return p.command;
}

function label(command: readonly string[] | string): string {
  return typeof command === 'string' ? `sh -c ${JSON.stringify(command)}` : JSON.stringify(command);
}

export const executeCommandAction = defineAction({
  id: 'execute_command',
  category: 'infrastructure',
  name: 'Execute Command',
  description: 'Runs a command locally (in the sandbox: unprivileged user, own PID/mount namespaces, clean environment, no network unless allowed), over SSH, or on every inventory host `targets` selects, with a timeout that kills its process tree.',
  params: ExecuteCommandParams,
  codeParams: { command: CODE_HINTS.command },
  output: ExecuteCommandOutput,
  async run(ctx) {
    const p = ctx.params;
    const command = commandOf(p);
    const timeoutSeconds = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (p.targets !== undefined) {
      if (p.ssh_credential_id !== undefined) throw new NonRetryableError('invalid_params', '`targets` and `ssh_credential_id` exclude each other: each inventory host names its own credential', { details: { path: '/ssh_credential_id' } });
      const commandLine = remoteCommandLine(command, { cwd: p.cwd, env: p.env, timeoutSeconds });
      return runFleet(
        { targets: p.targets, concurrency: p.concurrency, max_failures: p.max_failures, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, log: ctx.log, fleet: ctx.services.fleet },
        (host, _key, signal) => runOnHost({ credentials: ctx.credentials, egress: ctx.services.egress, log: ctx.log }, host, { commandLine, stdin: p.stdin, timeoutSeconds, anyExitCode: p.fail_on_exit_code === false }, signal),
      );
    }
    let result: ProcessResult;
    if (p.ssh_credential_id !== undefined) {
      const target = await resolveSshTarget(ctx.credentials, ctx.services.egress, p.ssh_credential_id);
      if (target.hostKeys.acceptAny) {
        ctx.log.log('warn', `SSH credential ${p.ssh_credential_id} accepts any host key of ${target.host} (accept_any_host_key): the connection is open to a man in the middle`, { host: target.host });
      }
      result = await runRemote(target, {
        commandLine: remoteCommandLine(command, { cwd: p.cwd, env: p.env, timeoutSeconds }),
        ...(p.stdin !== undefined ? { stdin: p.stdin } : {}),
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        ...(ctx.output ? { output: ctx.output } : {}),
      });
    } else {
      result = await runProcess({
        argv: typeof command === 'string' ? [command] : command,
        shell: typeof command === 'string',
        ...(p.cwd !== undefined ? { cwd: p.cwd } : {}),
        ...(p.env !== undefined ? { env: p.env } : {}),
        ...(p.stdin !== undefined ? { stdin: p.stdin } : {}),
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        ...(ctx.output ? { output: ctx.output } : {}),
        sandbox: { network: p.allow_network ?? false, step: ctx.idempotencyKey, service: ctx.services.sandbox },
      });
    }
    const what = label(command);
    ctx.log.log(result.exitCode === 0 ? 'info' : 'warn', `${what} → ${describeEnd(result)}`, {
      exit_code: result.exitCode,
      duration_ms: result.durationMs,
    });
    throwIfKilled(result, what, timeoutSeconds);
    if (p.fail_on_exit_code ?? true) throwIfFailed(result, what);
    return {
      exit_code: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      duration_ms: result.durationMs,
      truncated: result.truncated,
    };
  },
  plan(ctx) {
    const where = ctx.params.targets !== undefined
      ? ` on every host matching ${JSON.stringify(ctx.params.targets)}, ${ctx.params.concurrency ?? 5} at a time`
      : ctx.params.ssh_credential_id !== undefined ? ` over SSH (credential ${ctx.params.ssh_credential_id})` : '';
    return `run ${label(ctx.params.command)}${where}`;
  },
});
