import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import type { CliIo } from './io.js';
import { nextSignal, startApp } from './serve-command.js';
import { WORKER_HELP } from './help-texts.js';

export async function workerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return io.out(WORKER_HELP), 0;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)) {
    throw Object.assign(new Error(`--concurrency must be 1..1000, got "${values.concurrency}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  }
  const config = loadConfig(io.env, concurrency === undefined ? {} : { workerConcurrency: concurrency });
  const stopped = nextSignal();
  const app = await startApp(config, 'worker', io);
  if (typeof app === 'number') return app;
  // Workers run the steps: the one place this warning matters most.
  if (app.sandboxWarning) io.err(`itw: warning: ${app.sandboxWarning}`);
  io.out(`itw: worker ${app.engine.owner} running up to ${config.workerConcurrency} jobs at once`);
  const signal = await stopped;
  io.out(`itw: ${signal}: finishing running steps (up to ${config.shutdownGraceMs} ms)`);
  await app.close({ graceMs: config.shutdownGraceMs });
  io.out('itw: worker stopped');
  // Non-zero when the worker stopped itself (its job queue failed), so a supervisor restarts it.
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
