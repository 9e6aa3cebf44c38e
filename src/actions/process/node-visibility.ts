import { statSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/**
 * The first directory on the way to `path` that "other" users cannot enter (no o+x), or undefined
 * when every one can be. The sandbox user is such an "other": a Node installed under /root/.nvm or
 * in a 0700 temporary directory cannot be bound into its sandbox, and bubblewrap would fail every
 * step with "Can't find source path ... Permission denied".
 */
export function closedDirectoryOn(path: string): string | undefined {
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of dirs) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return dir === '' ? sep : dir;
    } catch {
      return dir;
    }
  }
  return undefined;
}
