import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { invalidParam } from '../communication/invalid-param.js';
import { checkOutsideDataDir } from '../data/data-dir-target.js';
import type { StepSandbox } from '../process/sandbox-policy.js';

/**
 * A remote path as the SFTP actions take it: absolute, or relative to the login directory; no `..`
 * segment (a path that climbs out of where it seems to point is refused, not resolved) and no NUL.
 * What the account may reach beyond that is the SSH server's business (its permissions, a chroot).
 */
export function checkRemotePath(actionId: string, path: string, param = '/remote_path'): string {
  if (path.includes('\u0000')) throw invalidParam(actionId, param, 'must not contain NUL');
  if (path.split('/').includes('..')) throw invalidParam(actionId, param, 'must not contain a .. segment: write the path it stands for');
  if (path.endsWith('/')) throw invalidParam(actionId, param, 'names a directory: give the file name');
  return path;
}

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
 * A local file the SFTP actions read or write: only under a directory the operator opened to
 * workflows (ITW_SANDBOX_PATHS, the directories sandboxed steps see), never in the server's data
 * dir; symlinks and `..` are resolved before the check. Without such a directory local files are
 * refused: a workflow must not read the server's keys or overwrite its files.
 */
export function checkLocalPath(actionId: string, sandbox: StepSandbox, path: string, param = '/local_path'): string {
  if (!isAbsolute(path)) throw invalidParam(actionId, param, 'must be an absolute path');
  const real = realPathOf(path);
  const allowed = sandbox.policy.paths.map(realPathOf);
  const inside = allowed.some((dir) => {
    const rel = relative(dir, real);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
  if (!inside) {
    const where = allowed.length === 0 ? 'no directory is open to workflows (set ITW_SANDBOX_PATHS)' : `it must be under ${sandbox.policy.paths.join(', ')} (ITW_SANDBOX_PATHS)`;
    sandbox.reportRefusal({ code: 'local_path_denied', message: `${actionId} refused local file ${path}: ${where}`, step: undefined });
    throw invalidParam(actionId, param, `${path} is refused: ${where}`);
  }
  checkOutsideDataDir(sandbox, real, 'this local file');
  return real;
}
