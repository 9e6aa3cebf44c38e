import { watchStop } from './stop-watch.js';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { NonRetryableError } from '../../model/errors.js';
import { CappedOutput } from './capped-output.js';
import { withLimits, type ResourceLimits } from './resource-limits.js';
import { sandboxCommand, type SandboxedCommand, type SandboxRequest } from './sandbox.js';
import type { StepOutput } from '../../engine/live-output.js';

export interface RunProcessOptions {
  /** `[file, ...args]`, executed without a shell. With `shell: true`, exactly one element: the script for `/bin/sh -c`. */
  readonly argv: readonly string[];
  /** @default false */
  readonly shell?: boolean;
  /** @default the server's working directory */
  readonly cwd?: string;
  /**
   * The child's whole environment, plus PATH when not given here. The server's own environment
   * (database URLs, keys) is never passed on.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin, then closed. @default stdin is /dev/null */
  readonly stdin?: string | Uint8Array;
  /** Wall-clock budget; the process group is killed when it runs out. */
  readonly timeoutMs: number;
  /** Cancellation: kills the process group like a timeout. */
  readonly signal?: AbortSignal;
  /** Kept per stream: first half and last half, the middle marked as omitted. @default 128 KiB */
  readonly maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL. @default 2000 */
  readonly killGraceMs?: number;
  readonly limits?: ResourceLimits;
  /**
   * Run it in the sandbox (sandbox.ts): every step that runs user-controlled code on this host sets
   * it. `cwd` must then be the work dir or below a configured sandbox path.
   */
  readonly sandbox?: SandboxRequest;
  /** Also handed every chunk as it arrives (a step's live view), before any cap. */
  readonly output?: StepOutput;
}

export interface ProcessResult {
  /** null when ended by a signal. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Either stream lost its middle to the output cap. */
  readonly truncated: boolean;
  readonly timedOut: boolean;
  /** Killed because `signal` aborted. */
  readonly aborted: boolean;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 128 * 1024;
const DEFAULT_KILL_GRACE_MS = 2000;
/** After the leader exits, how long stdio may stay open (a descendant that escaped the group). */
const DRAIN_MS = 1000;
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function childEnv(env: RunProcessOptions['env']): Record<string, string> {
  return { PATH: process.env['PATH'] ?? FALLBACK_PATH, ...env };
}

function commandArgv(opts: RunProcessOptions): string[] {
  if (!opts.shell) return [...opts.argv];
  if (opts.argv.length !== 1) throw new NonRetryableError('invalid_params', 'with shell: true the command is one string');
  return ['/bin/sh', '-c', opts.argv[0] ?? ''];
}

/** bwrap reports a command killed by signal N as exit code 128+N (like a shell): give back the signal. */
function signalledInside(end: { code: number | null; signal: NodeJS.Signals | null }): { code: number | null; signal: NodeJS.Signals | null } {
  if (end.code === null || end.code <= 128) return end;
  const name = Object.entries(constants.signals).find(([, n]) => n === (end.code ?? 0) - 128)?.[0];
  return name === undefined ? end : { code: null, signal: name as NodeJS.Signals };
}

/** Signals the whole group; ESRCH (already gone) is expected and ignored. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is empty: nothing left to kill.
  }
}

/**
 * Runs one process in its own process group and waits for it.
 *
 * - `detached: true` makes the child a session and group leader, so a timeout or an abort reaches
 *   every descendant with `kill(-pid)`: SIGTERM, then SIGKILL after the grace period.
 * - When the leader exits, whatever it left behind in its group is killed too: a step must not
 *   leave processes running after it ends. Daemons that detach themselves (setsid) are not touched.
 * - Never rejects for the process's own outcome (exit code, timeout, abort): the caller decides
 *   what those mean. It rejects only when the process cannot be started.
 */
export function runProcess(opts: RunProcessOptions): Promise<ProcessResult> {
  let command: SandboxedCommand;
  try {
    const inner = commandArgv(opts);
    if (inner[0] === undefined || inner[0] === '') throw new NonRetryableError('invalid_params', 'command is empty');
    command = opts.sandbox
      ? sandboxCommand(inner, opts, opts.sandbox)
      : { argv: withLimits(inner, opts.limits), cwd: opts.cwd, env: childEnv(opts.env), sandboxed: false };
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const [file = '', ...args] = command.argv;
  const half = Math.floor((opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES) / 2);
  const stdout = new CappedOutput(half, half);
  const stderr = new CappedOutput(half, half);
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  return new Promise<ProcessResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new NonRetryableError('cancelled', 'cancelled before the process started'));
      return;
    }
    const started = performance.now();
    const child = spawn(file, args, {
      cwd: command.cwd,
      env: command.env,
      detached: true,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const terminate = () => {
      if (child.pid === undefined || exit !== undefined) return;
      const pid = child.pid;
      killGroup(pid, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
    };
    const watch = watchStop(opts.timeoutMs, opts.signal, terminate);

    const cleanup = () => {
      watch.clear();
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
    };

    const live = opts.output;
    child.stdout?.on('data', (c: Buffer) => {
      stdout.push(c);
      live?.write('stdout', c);
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr.push(c);
      live?.write('stderr', c);
    });
    if (child.stdin) {
      // EPIPE when the process exits without reading its input is not our failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin);
    }

    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      if (child.pid !== undefined) return; // started; 'close' reports the outcome
      const code = err.code === 'ENOENT' ? 'command_not_found' : 'spawn_failed';
      reject(new NonRetryableError(code, `cannot start ${file}: ${err.code ?? err.message}`, { cause: err, details: { command: file } }));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, DRAIN_MS);
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      const missing = command.sandboxed ? /^(?:bwrap: execvp|prlimit: failed to execute) (.*): No such file or directory\n?$/.exec(stderr.text()) : null;
      if (missing) {
        reject(new NonRetryableError('command_not_found', `cannot start ${missing[1]}: ENOENT (not found in the sandbox)`, { details: { command: missing[1] } }));
        return;
      }
      const end = command.sandboxed ? signalledInside(exit ?? { code, signal }) : (exit ?? { code, signal });
      resolve({
        exitCode: end.code,
        signal: end.signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Math.round(performance.now() - started),
        truncated: stdout.truncated || stderr.truncated,
        timedOut: watch.timedOut,
        aborted: watch.aborted,
      });
    });
  });
}
