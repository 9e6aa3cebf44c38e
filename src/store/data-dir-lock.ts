import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ItwError } from '../model/errors.js';

/**
 * Embedded SQLite mode is one engine process per data dir: a second one would take over the first
 * one's running steps as if their owner had died. The lock file holds the owner's pid; a lock whose
 * pid is gone (kill -9) is stale and taken over.
 */
export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, 'engine.lock');
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new ItwError(
          'data_dir_locked',
          `another itw process (pid ${pid}) is running workflows from ${dataDir}; stop it, or use another --data-dir (or PostgreSQL for several processes)`,
          { details: { pid, dataDir } },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ItwError('data_dir_locked', `could not lock ${path}`);
}
