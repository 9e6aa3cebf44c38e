import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../config/config.js';
import { describeCliError } from './cli-errors.js';
import { APIKEY_HELP, GITOPS_HELP, RUN_HELP, SERVE_HELP, USER_HELP, VALIDATE_HELP, WORKER_HELP } from './help-texts.js';
import { processIo, type CliIo } from './io.js';

const HELP = `itw — iTechSmart Workflow: durable automation for IT operations

Usage: itw <command> [options]

Commands:
  run FILE       run a workflow definition to the end and print the execution record
  validate FILE  check a workflow definition and list every problem
  serve          run the HTTP API and the engine (default http://127.0.0.1:8023)
  worker         run steps from the job queue (PostgreSQL cluster; see docs/DEPLOYMENT.md)
  apikey         create, list or revoke API keys
  user           create or list users who log in with a password
  pull DIR       write a server's workflows to DIR, one YAML file each (ITW_URL, ITW_API_KEY)
  diff DIR       print what push would change (exit 2 when something would)
  push DIR       create/update the server's workflows from DIR [--activate] [--prune]

Options:
  -h, --help     show help (also: itw <command> --help)
  -v, --version  print the version

Exit codes: 0 done; 1 the workflow failed (run) or the server could not start (serve: port or
data dir in use); 2 bad command line, invalid workflow file or setting; 3 the data dir is in use
by a running server (run --data-dir); 70 an internal error (a bug: please report it).
From a clone, run it as \`npx itw ...\` (npm puts it in node_modules/.bin, not on PATH).

${RUN_HELP}

${VALIDATE_HELP}

${SERVE_HELP}

${WORKER_HELP}

${APIKEY_HELP}

${USER_HELP}

${GITOPS_HELP}`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Each command's module is loaded when it runs: `itw --help`, `--version` and a mistyped command
 * answer without loading the engine, the server and the drivers (~0.8 s before).
 */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run-command.js')).runCommand,
  validate: async () => (await import('./validate-command.js')).validateCommand,
  serve: async () => (await import('./serve-command.js')).serveCommand,
  worker: async () => (await import('./worker-command.js')).workerCommand,
  apikey: async () => (await import('./apikey-command.js')).apikeyCommand,
  user: async () => (await import('./user-command.js')).userCommand,
  pull: async () => (await import('./gitops-command.js')).pullCommand,
  diff: async () => (await import('./gitops-command.js')).diffCommand,
  push: async () => (await import('./gitops-command.js')).pushCommand,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return io.out(HELP), name ? 0 : 2;
  if (name === '--version' || name === '-v') {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    return io.out(pkg.version), 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.err(`itw: unknown command "${name}". Run "itw --help".`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (err) {
    const { line, code } = describeCliError(err, io);
    io.err(`itw ${name}: ${line}`);
    return code;
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCli(argv, processIo);
}
