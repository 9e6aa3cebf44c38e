import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { glob } from 'tinyglobby';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { tailOf } from '../process/capped-output.js';
import { describeEnd, throwIfKilled } from '../process/process-outcome.js';
import { runProcess } from '../process/run-process.js';
import { addJUnitReport, emptySummary, MAX_FAILED_TESTS } from './junit-report.js';

const DEFAULT_TIMEOUT_SECONDS = 1800;
const MAX_REPORT_BYTES = 50 * 1024 * 1024;
/** Filesystems with 1 s timestamps may date a report written right away to before the run began. */
const MTIME_SLACK_MS = 1000;

const RunTestsParams = Type.Object(
  {
    command: Type.Array(Type.String(), { minItems: 1, description: 'argv of the test runner' }),
    cwd: Type.Optional(Type.String({ minLength: 1, description: 'A directory in ITW_SANDBOX_PATHS; required with junit_xml_path (default: the sandbox\'s private /tmp)' })),
    env: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String())),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: DEFAULT_TIMEOUT_SECONDS })),
    junit_xml_path: Type.Optional(Type.String({ minLength: 1, description: 'JUnit XML report path or glob, relative to cwd; only files inside cwd are read' })),
    allow_network: Type.Optional(Type.Boolean({ default: false, description: 'Share the host network (sandboxed otherwise); refused while the egress guard is on unless ITW_SCRIPT_NETWORK=host' })),
  },
  { additionalProperties: false },
);

const RunTestsOutput = Type.Object({
  passed: Type.Boolean({ description: 'Exit code 0 and no failures or errors in the report' }),
  exit_code: Type.Union([Type.Integer(), Type.Null()]),
  tests: Type.Integer(),
  failures: Type.Integer(),
  errors: Type.Integer(),
  skipped: Type.Integer(),
  duration_ms: Type.Number(),
  failed_tests: Type.Array(Type.Object({ name: Type.String(), classname: Type.String(), message: Type.String() }), { maxItems: MAX_FAILED_TESTS }),
  output_tail: Type.String({ description: 'End of stdout and stderr, for a quick look at what failed' }),
});

/** Reports this run wrote: a stale report left by an earlier run must not pass for this one. */
async function freshReports(pattern: string, cwd: string, sinceMs: number): Promise<string[]> {
  const files = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  const fresh: string[] = [];
  const root = await realpath(cwd);
  for (const file of files.sort()) {
    // The test run wrote these as the sandbox user: a symlink out of cwd must not make the server read for it.
    const target = await realpath(file);
    if (relative(root, target).startsWith('..') || isAbsolute(relative(root, target))) continue;
    const s = await stat(target);
    if (s.mtimeMs >= sinceMs - MTIME_SLACK_MS && s.size <= MAX_REPORT_BYTES) fresh.push(target);
  }
  return fresh;
}

export const runTestsAction = defineAction({
  id: 'run_tests',
  category: 'deployment',
  name: 'Run Tests',
  description: 'Runs a test command in the sandbox and summarises its JUnit XML report: counts and the failed tests.',
  params: RunTestsParams,
  codeParams: { command: CODE_HINTS.argv },
  output: RunTestsOutput,
  async run(ctx) {
    const p = ctx.params;
    const timeoutSeconds = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    const cwd = p.cwd === undefined ? undefined : resolve(p.cwd);
    if (p.junit_xml_path !== undefined && cwd === undefined) {
      throw new NonRetryableError('invalid_params', 'junit_xml_path needs `cwd`: the test run happens in a sandbox whose own files go when it ends');
    }
    const startedAt = Date.now();
    const r = await runProcess({
      argv: p.command, ...(cwd ? { cwd } : {}), ...(p.env ? { env: p.env } : {}), timeoutMs: timeoutSeconds * 1000, signal: ctx.signal,
      ...(ctx.output ? { output: ctx.output } : {}),
      sandbox: { network: p.allow_network ?? false, step: ctx.idempotencyKey, service: ctx.services.sandbox },
    });
    throwIfKilled(r, 'test run', timeoutSeconds);
    const summary = emptySummary();
    if (p.junit_xml_path !== undefined && cwd !== undefined) {
      const files = await freshReports(p.junit_xml_path, cwd, startedAt);
      if (files.length === 0) {
        throw new NonRetryableError('junit_not_found', `the test run (${describeEnd(r)}) wrote no JUnit report matching ${p.junit_xml_path}`, {
          details: { exit_code: r.exitCode, stderr_tail: tailOf(r.stderr) },
        });
      }
      for (const file of files) addJUnitReport(await readFile(file, 'utf8'), file, summary);
    }
    const passed = r.exitCode === 0 && summary.failures === 0 && summary.errors === 0;
    ctx.log.log(passed ? 'info' : 'warn', `tests ${passed ? 'passed' : 'failed'}: ${summary.tests} run, ${summary.failures} failed, ${summary.errors} errors (${describeEnd(r)})`);
    return {
      passed,
      exit_code: r.exitCode,
      ...summary,
      duration_ms: r.durationMs,
      output_tail: tailOf(`${r.stdout}${r.stderr}`),
    };
  },
  plan(ctx) {
    const report = ctx.params.junit_xml_path ? `, report ${ctx.params.junit_xml_path}` : '';
    return `run tests ${JSON.stringify(ctx.params.command)}${report}`;
  },
});
