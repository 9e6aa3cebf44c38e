import { loadConfig } from '../config/config.js';
import { ItwError } from '../model/errors.js';
import type { CliIo } from './io.js';

/** The documented exit codes (docs/CLI.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, busy: 3, internal: 70 } as const;

/**
 * Whatever a command threw, as one line and an exit code. A user's mistake (bad flag, bad setting,
 * a coded refusal) is its message; only a bug (an error without a code) is `internal`, with its
 * stack at ITW_LOG_LEVEL=debug, since a stack trace tells a user nothing they can act on.
 */
export function describeCliError(err: unknown, io: CliIo): { line: string; code: number } {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) return { line: message, code: EXIT.usage };
  if (err instanceof ItwError) {
    if (err.code === 'data_dir_locked') return { line: message, code: EXIT.busy };
    if (err.code === 'config_invalid' || err.code === 'validation') return { line: message, code: EXIT.usage };
    return { line: message, code: EXIT.failed };
  }
  const debug = debugging(io);
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return { line: `internal error: ${message}${debug ? '' : ' (ITW_LOG_LEVEL=debug shows where; please report it)'}${stack}`, code: EXIT.internal };
}

function debugging(io: CliIo): boolean {
  try {
    return ['debug', 'trace'].includes(loadConfig(io.env).logLevel);
  } catch {
    return false;
  }
}
