import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { builtinActions } from '../actions/catalog.js';
import { createApp, validationCatalog, type App } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { EngineEvent } from '../engine/engine-events.js';
import { ItwError } from '../model/errors.js';
import type { WorkflowDefinition } from '../model/types.js';
import { planDryRun, type DryRunPlan } from '../nodes/dry-run-plan.js';
import { resolveWorkflowVersion } from '../executions/resolve-workflow-version.js';
import { openStore } from '../store/connect.js';
import { EXIT } from './cli-errors.js';
import { executionReport } from './execution-report.js';
import { formatProblem, loadDefinitionFile } from './load-definition.js';
import type { CliIo } from './io.js';
import { RUN_HELP } from './help-texts.js';

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
    for (const p of loaded.problems) io.err(formatProblem(file, p, loaded.source));
    return 2;
  }
  if (values['dry-run']) {
    io.out(JSON.stringify(await dryRun(loaded.definition, input, values['data-dir'], io), null, 2));
    return 0;
  }
  // A throwaway data dir by default: the server's SQLite file is locked by it (one engine per data dir).
  const scratch = values['data-dir'] === undefined ? mkdtempSync(join(tmpdir(), 'itw-run-')) : undefined;
  try {
    return await runOn(loaded.definition, input, values['data-dir'] ?? scratch!, io);
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** With a data dir, run_workflow steps show their child's plan, read from that store's workflows. */
async function dryRun(definition: WorkflowDefinition, input: unknown, dataDir: string | undefined, io: CliIo): Promise<DryRunPlan> {
  if (dataDir === undefined) return planDryRun(definition, builtinActions(), { input });
  const config = loadConfig(io.env, { dataDir });
  const store = await openStore({ dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}) });
  try {
    return await planDryRun(definition, builtinActions(), {
      input, maxDepth: config.maxWorkflowDepth,
      children: async (ref, version) => (await resolveWorkflowVersion(store, ref, version).catch(() => undefined))?.definition,
    });
  } finally {
    await store.close();
  }
}

async function runOn(definition: WorkflowDefinition, input: unknown, dataDir: string, io: CliIo): Promise<number> {
  const config = loadConfig(io.env, { dataDir });
  let app: App;
  try {
    // A one-shot run starts no listeners: the server owns the triggers of active workflows.
    // stdout carries the run's report: the server log (step lines, faults) goes to stderr.
    app = await createApp(config, { triggers: false, logStream: { write: (line: string) => io.err(line.trimEnd()) } });
  } catch (err) {
    if (!(err instanceof ItwError && err.code === 'data_dir_locked')) throw err;
    io.err(`itw run: ${dataDir} is in use by a running itw process: leave out --data-dir to run on a throwaway store, or stop that process`);
    return EXIT.busy;
  }
  if (app.sandboxWarning) io.err(`itw: warning: ${app.sandboxWarning}`);
  try {
    const { id } = await app.store.workflows.createWorkflow(definition);
    const version = await app.store.workflows.snapshotVersion(id, definition);
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
