import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { describeEnd, processDetails, throwIfKilled } from '../process/process-outcome.js';
import { runProcess, type ProcessResult } from '../process/run-process.js';
import { SCRIPT_LANGUAGES, scriptRuntime } from './script-runtime.js';
import { remoteCommandLine } from './ssh-exec.js';
import { FleetOutput, fleetParams } from '../fleet/fleet-params.js';
import { remoteScriptLine } from '../fleet/remote-script.js';
import { runFleet } from '../fleet/run-fleet.js';
import { runOnHost } from '../fleet/ssh-fleet.js';

const DEFAULTS = { timeout_seconds: 60, max_memory_mb: 256, max_output_kb: 1024 } as const;

const RunScriptParams = Type.Object(
  {
    language: Type.Union(SCRIPT_LANGUAGES.map((l) => Type.Literal(l))),
    code: Type.String({ minLength: 1 }),
    args: Type.Optional(Type.Array(Type.String())),
    env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String(), {
      description: 'Added to PATH, HOME (the temp dir) and LANG; nothing else of the server is visible',
    })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: DEFAULTS.timeout_seconds })),
    max_memory_mb: Type.Optional(Type.Integer({ minimum: 16, maximum: 16_384, default: DEFAULTS.max_memory_mb })),
    max_output_kb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_536, default: DEFAULTS.max_output_kb, description: 'Per stream; the middle of longer output is dropped' })),
    input: Type.Optional(Type.Unknown({ description: 'Written to stdin as JSON' })),
    fail_on_exit_code: Type.Optional(Type.Boolean({ default: true })),
    allow_network: Type.Optional(Type.Boolean({ default: false, description: 'Share the host network; refused while the egress guard is on unless ITW_SCRIPT_NETWORK=host' })),
    ...fleetParams,
  },
  { additionalProperties: false },
);

const OneRunOutput = Type.Object({
  exit_code: Type.Union([Type.Integer(), Type.Null()]),
  stdout: Type.String(),
  stderr: Type.String(),
  result: Type.Optional(Type.Unknown({ description: 'The last stdout line parsed as JSON, when it is JSON' })),
  truncated: Type.Boolean(),
  duration_ms: Type.Number(),
});

const RunScriptOutput = Type.Union([OneRunOutput, FleetOutput], { description: 'One run, or with `targets` the fleet outcome' });

// What interpreters print when an allocation hits RLIMIT_AS (Python, V8, bash, C runtimes).
const OUT_OF_MEMORY = /MemoryError|heap out of memory|Allocation failed|Failed to reserve|cannot allocate memory|xmalloc|xrealloc|bad_alloc|out of memory/i;

function lastLineJson(stdout: string): { value: unknown } | undefined {
  const line = stdout.trimEnd().split('\n').pop()?.trim() ?? '';
  if (!/^[[{"]|^-?\d|^(true|false|null)$/.test(line)) return undefined;
  try {
    return { value: JSON.parse(line) as unknown };
  } catch {
    return undefined;
  }
}

function throwIfLimitHit(r: ProcessResult, memoryMb: number): void {
  if (r.exitCode === 0) return;
  if (r.signal === 'SIGXCPU') {
    throw new NonRetryableError('cpu_limit_exceeded', 'script used up its CPU-time limit and was killed', { details: processDetails(r) });
  }
  if (OUT_OF_MEMORY.test(r.stderr.slice(-4000))) {
    throw new NonRetryableError('memory_limit_exceeded', `script exceeded its memory limit of ${memoryMb} MB (${describeEnd(r)})`, {
      details: { ...processDetails(r), max_memory_mb: memoryMb },
    });
  }
}

export const runScriptAction = defineAction({
  id: 'run_script',
  category: 'infrastructure',
  name: 'Run Script',
  description: 'Runs a bash, Python or Node.js script in the sandbox (unprivileged user, own PID/mount namespaces, no network unless allowed) with CPU, memory, output and time limits and no server environment, or over SSH on every inventory host `targets` selects.',
  params: RunScriptParams,
  codeParams: { code: CODE_HINTS.script },
  output: RunScriptOutput,
  async run(ctx) {
    const p = ctx.params;
    const timeoutSeconds = p.timeout_seconds ?? DEFAULTS.timeout_seconds;
    const memoryMb = p.max_memory_mb ?? DEFAULTS.max_memory_mb;
    if (p.targets !== undefined) {
      // Over SSH on each host: the code and input travel on stdin (remote-script.ts), never in the command line.
      const code = Buffer.from(p.code);
      const commandLine = remoteCommandLine(remoteScriptLine(p.language, code.length, p.args ?? [], memoryMb), { env: { LANG: 'C.UTF-8', ...p.env }, timeoutSeconds });
      const stdin = p.input !== undefined ? `${p.code}${JSON.stringify(p.input)}` : p.code;
      return runFleet(
        { targets: p.targets, concurrency: p.concurrency, max_failures: p.max_failures, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, log: ctx.log, fleet: ctx.services.fleet },
        (host, _key, signal) => runOnHost({ credentials: ctx.credentials, egress: ctx.services.egress, log: ctx.log }, host, {
          commandLine, stdin, timeoutSeconds, anyExitCode: p.fail_on_exit_code === false, maxOutputBytes: 2 * (p.max_output_kb ?? DEFAULTS.max_output_kb) * 1024,
        }, signal),
      );
    }
    const runtime = scriptRuntime(p.language);
    const dir = await mkdtemp(join(tmpdir(), 'itw-script-'));
    let r: ProcessResult;
    try {
      const file = join(dir, runtime.fileName);
      await writeFile(file, p.code, { mode: 0o600 });
      r = await runProcess({
        argv: runtime.argv(file, p.args ?? [], memoryMb),
        cwd: dir,
        env: { LANG: 'C.UTF-8', ...p.env, HOME: dir },
        ...(p.input !== undefined ? { stdin: JSON.stringify(p.input) } : {}),
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        ...(ctx.output ? { output: ctx.output } : {}),
        maxOutputBytes: (p.max_output_kb ?? DEFAULTS.max_output_kb) * 1024,
        // One second past the wall clock: a single-threaded loop hits the timeout (a clear error);
        // the CPU limit is for scripts burning several cores at once.
        limits: runtime.limits(memoryMb, timeoutSeconds + 1),
        sandbox: { network: p.allow_network ?? false, workDir: dir, step: ctx.idempotencyKey, service: ctx.services.sandbox },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    ctx.log.log(r.exitCode === 0 ? 'info' : 'warn', `${p.language} script → ${describeEnd(r)}`, { exit_code: r.exitCode, duration_ms: r.durationMs });
    throwIfKilled(r, `${p.language} script`, timeoutSeconds);
    throwIfLimitHit(r, memoryMb);
    if ((p.fail_on_exit_code ?? true) && r.exitCode !== 0) {
      throw new NonRetryableError('script_failed', `${p.language} script failed (${describeEnd(r)})`, { details: processDetails(r) });
    }
    const parsed = lastLineJson(r.stdout);
    return {
      exit_code: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
      ...(parsed ? { result: parsed.value } : {}),
      truncated: r.truncated,
      duration_ms: r.durationMs,
    };
  },
  plan(ctx) {
    const p = ctx.params;
    if (p.targets !== undefined) return `run a ${p.language} script (${p.code.split('\n').length} lines) on every host matching ${JSON.stringify(p.targets)}, ${p.concurrency ?? 5} at a time`;
    return `run a ${p.language} script (${p.code.split('\n').length} lines) with ${p.max_memory_mb ?? DEFAULTS.max_memory_mb} MB, ${p.timeout_seconds ?? DEFAULTS.timeout_seconds}s`;
  },
});
