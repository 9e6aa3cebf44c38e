import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { NonRetryableError } from '../../model/errors.js';
import type { StepSandbox } from '../process/sandbox-policy.js';

/** The real path of `path`, following symlinks as far as the path exists (a new file's parents). */
function realPathOf(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPathOf(parent), basename(abs));
  }
}

/**
 * A workflow's SQLite target (or backup destination) must not be the server's own database or anything else in its data
 * dir (keys, admin key): symlinks and `..` are resolved before comparing.
 */
export function checkOutsideDataDir(sandbox: StepSandbox, path: string, what = 'this SQLite database'): void {
  const dataDir = sandbox.policy.dataDir;
  if (dataDir === undefined || path === ':memory:') return;
  const rel = relative(realPathOf(dataDir), realPathOf(path));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    const message = `${what} is in the server's data dir: workflows cannot open the server's own files`;
    sandbox.reportRefusal({ code: 'database_target_denied', message, step: undefined });
    throw new NonRetryableError('database_target_denied', message);
  }
}
