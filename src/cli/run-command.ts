import { parseArgs } from 'node:util';
import { builtinActions } from '../actions/catalog.js';
import { createApp, validationCatalog } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { EngineEvent } from '../engine/engine-events.js';
import { planDryRun } from '../nodes/dry-run-plan.js';
import { executionReport } from './execution-report.js';
import { formatProblem, loadDefinitionFile } from './load-definition.js';
import type { CliIo } from './io.js';

export const RUN_HELP = `Usage: itw run FILE [--input JSON] [--data-dir DIR] [--dry-run]

Validates a workflow definition (JSON or YAML), runs it to the end on the embedded store and prints
the execution record as JSON. Exit code: 0 completed, 1 failed or cancelled, 2 invalid input.

  --input JSON      the execution's input_data ($trigger), default {}
  --data-dir DIR    where the SQLite database lives (ITW_DATA_DIR, default ~/.itw)
  --dry-run         run nothing: print {dry_run, steps} with what each action, notification,
                    API call, database and script step would do (templates resolved against the
                    input and variable defaults where possible); exit 0 when valid`;

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: { input: { type: 'string' }, 'data-dir': { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return io.out(RUN_HELP), 0;
  const file = positionals[0];
  if (!file || positionals.length > 1) return io.err(RUN_HELP), 2;
  let input: unknown = {};
  if (values.input !== undefined) {
    try {
      input = JSON.parse(values.input);
    } catch (err) {
      io.err(`--input: not valid JSON: ${(err as Error).message}`);
      return 2;
    }
  }
  const loaded = await loadDefinitionFile(file, validationCatalog());
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(formatProblem(file, p));
    return 2;
  }
  if (values['dry-run']) {
    io.out(JSON.stringify(await planDryRun(loaded.definition, builtinActions(), { input }), null, 2));
    return 0;
  }
  const config = loadConfig(io.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  // A one-shot run starts no listeners: the server owns the triggers of active workflows.
  // stdout carries the run's report: the server log (step lines, faults) goes to stderr.
  const app = await createApp(config, { triggers: false, logStream: { write: (line: string) => io.err(line.trimEnd()) } });
  if (app.sandboxWarning) io.err(`itw: warning: ${app.sandboxWarning}`);
  try {
    const { id } = await app.store.workflows.createWorkflow(loaded.definition);
    const version = await app.store.workflows.snapshotVersion(id, loaded.definition);
    if (io.isTTY) app.engine.onEvent((e) => progress(e, io));
    const { execution } = await app.starter.manual({ workflowId: id, versionId: version.id, input, test: false });
    const final = await app.engine.waitForFinal(execution.id);
    io.out(JSON.stringify(await executionReport(app.store.engine, final), null, 2));
    return final.status === 'completed' ? 0 : 1;
  } finally {
    await app.close();
  }
}

function progress(e: EngineEvent, io: CliIo): void {
  if (e.type !== 'node') return;
  const r = e.run;
  const where = r.scope ? ` [${r.scope}]` : '';
  const attempt = r.attempt > 1 ? ` attempt ${r.attempt}` : '';
  const took = r.duration_ms !== null ? ` ${r.duration_ms}ms` : '';
  const why = r.error ? `: ${r.error.message}` : '';
  io.err(`${r.status.padEnd(9)} ${r.node_id}${where}${attempt}${took}${why}`);
}
