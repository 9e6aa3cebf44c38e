import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { CODE_HINTS } from '../actions/code-hints.js';
import { scriptRuntime } from '../actions/infrastructure/script-runtime.js';
import { describeEnd, processDetails, throwIfKilled } from '../actions/process/process-outcome.js';
import { runProcess } from '../actions/process/run-process.js';
import type { ActionServices } from '../actions/define-action.js';
import type { NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import { withoutResult } from './script-output.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const scriptSpec: NodeTypeSpec = {
  type: 'script',
  label: 'Script',
  description:
    'Runs JavaScript in a separate Node.js process with time, memory and output limits, in the sandbox (unprivileged user, own PID/mount namespaces, no view of the server), no environment and no network unless allowed. `$input`, `$trigger`, `$vars` are in scope; the returned value is the output.',
  configSchema: Type.Object(
    {
      language: Type.Optional(Type.Literal('javascript', { default: 'javascript' })),
      code: Type.String({ minLength: 1, description: 'Body of an async function: use `return` for the output' }),
      timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: 30 })),
      max_memory_mb: Type.Optional(Type.Integer({ minimum: 16, maximum: 8192, default: 128 })),
      max_output_kb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_536, default: 1024 })),
      allow_network: Type.Optional(Type.Boolean({ default: false })),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  rawFields: ['code'],
  rawFieldHints: { code: CODE_HINTS.nodeScript },
  available: true,
};

const MARK = '\u001eITW_RESULT\u001e';

/** The user's code as the body of an async function; its value comes back after a marker on stdout. */
function wrapper(code: string): string {
  return [
    "import { readFileSync } from 'node:fs';",
    "const { input: $input, trigger: $trigger, vars: $vars } = JSON.parse(readFileSync(0, 'utf8'));",
    `const __result = await (async () => {\n${code}\n})();`,
    `process.stdout.write('\\n${MARK}' + JSON.stringify(__result === undefined ? null : __result));`,
  ].join('\n');
}

export const scriptNode = (services: ActionServices): NodeHandler => ({
  spec: scriptSpec,
  inline: false,
  async run(ctx) {
    const c = ctx.config;
    const timeout = typeof c['timeout_seconds'] === 'number' ? c['timeout_seconds'] : 30;
    const memoryMb = typeof c['max_memory_mb'] === 'number' ? c['max_memory_mb'] : 128;
    const runtime = scriptRuntime('node');
    const dir = await mkdtemp(join(tmpdir(), 'itw-script-'));
    const output = ctx.output ? withoutResult(ctx.output, `\n${MARK}`) : undefined;
    try {
      const file = join(dir, runtime.fileName);
      await writeFile(file, wrapper(String(c['code'])), { mode: 0o600 });
      const r = await runProcess({
        argv: runtime.argv(file, [], memoryMb),
        cwd: dir,
        env: { LANG: 'C.UTF-8', HOME: dir },
        stdin: JSON.stringify({ input: ctx.input ?? null, trigger: ctx.bindings.trigger ?? null, vars: ctx.bindings.vars }),
        timeoutMs: timeout * 1000,
        signal: ctx.signal,
        ...(output ? { output } : {}),
        maxOutputBytes: (typeof c['max_output_kb'] === 'number' ? c['max_output_kb'] : 1024) * 1024,
        limits: runtime.limits(memoryMb, timeout + 1),
        sandbox: { network: c['allow_network'] === true, workDir: dir, step: ctx.idempotencyKey, service: services.sandbox },
      });
      output?.flush();
      throwIfKilled(r, 'script', timeout);
      const at = r.stdout.lastIndexOf(MARK);
      const logs = (at >= 0 ? r.stdout.slice(0, at) : r.stdout).trim();
      if (logs) ctx.log.log('info', logs.slice(-4000));
      if (r.exitCode !== 0 || at < 0) {
        const oom = /heap out of memory|Allocation failed/i.test(r.stderr);
        const last = r.stderr.trim().split('\n').filter((l) => /Error|error:/.test(l)).pop() ?? describeEnd(r);
        throw new NonRetryableError(oom ? 'memory_limit_exceeded' : 'script_failed', oom ? `script exceeded its memory limit of ${memoryMb} MB` : `script failed: ${last}`, { details: processDetails(r) });
      }
      return { kind: 'done', output: JSON.parse(r.stdout.slice(at + MARK.length)) as unknown, handle: 'out' };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
