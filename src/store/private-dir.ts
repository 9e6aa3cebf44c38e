import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data dir holds the database, the vault key, the approval-link key and the bootstrap admin key:
 * only the server's user may list or enter it (0700, tightened when it already exists).
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Creates `file` 0600 if missing and makes an existing one (and SQLite's -wal/-shm beside it) 0600. */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}
