import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually.js';
import type BetterSqlite3 from 'better-sqlite3';
import Database from './sqlite-driver.js';
import { openStore } from './connect.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The page count SQLite writes into the main file's header (offset 28): only a checkpoint changes it. */
function pagesInMainFile(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(4);
    readSync(fd, header, 0, 4, 28);
    return header.readUInt32BE(0);
  } finally {
    closeSync(fd);
  }
}

/** A WAL database that never checkpoints by itself, and a checkpointer that starts at 1 MB of WAL. */
function walWithCheckpointer(file: string): { db: BetterSqlite3.Database; checkpointer: SqliteCheckpointer } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (v TEXT)');
  return { db, checkpointer: new SqliteCheckpointer(file, { intervalMs: 20, startAtWalBytes: 1 << 20 }) };
}

describe('SQLite checkpoints off the event loop', () => {
  it('commits reach the database file while the main connection never checkpoints, and close stops the worker', async () => {
    const store = await openStore({ dataDir: dir });
    const file = join(dir, 'itw.sqlite');
    try {
      await new Promise((r) => setTimeout(r, 700)); // the migrations' pages checkpointed first
      const before = pagesInMainFile(file);
      const details = JSON.stringify({ pad: 'x'.repeat(2000) });
      // ~4 MB: far below the main connection's automatic threshold (50,000 pages), so only the worker copies it.
      for (let i = 0; i < 20; i++) {
        await store.db.insertInto('audit_log').values(Array.from({ length: 100 }, () => ({ ts: Date.now(), actor: null, action: 'bench', resource_type: 'x', resource_id: null, details }))).execute();
      }
      await eventually('the WAL copied into the database file', () => Promise.resolve(pagesInMainFile(file)), (pages) => pages > before + 500, 10_000);
      const rows = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'bench').executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(2000);
    } finally {
      await store.close();
    }
  });

  it('starts its worker thread only once the WAL is sizeable (an idle instance has none)', async () => {
    const file = join(dir, 'lazy.sqlite');
    const { db, checkpointer } = walWithCheckpointer(file);
    try {
      await new Promise((r) => setTimeout(r, 200)); // ten looks at a WAL of a few pages
      expect(checkpointer.started).toBe(false);
      const before = pagesInMainFile(file);
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 1000; i++) insert.run('x'.repeat(2000));
      await eventually('the worker started', () => Promise.resolve(checkpointer.started), (s) => s, 10_000);
      await eventually('the WAL copied into the database file', () => Promise.resolve(pagesInMainFile(file)), (pages) => pages > before + 400, 10_000);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('lets a bulk writer wait until the checkpoints have copied the WAL (retention paces itself with it)', async () => {
    const file = join(dir, 'paced.sqlite');
    const { db, checkpointer } = walWithCheckpointer(file);
    try {
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      await checkpointer.caughtUp(0, 5_000, 0); // no worker yet: nothing to wait for
      for (let i = 0; i < 1000; i++) insert.run('x'.repeat(2000));
      await eventually('the worker started', () => Promise.resolve(checkpointer.started), (s) => s, 10_000);
      for (let i = 0; i < 3000; i++) insert.run('y'.repeat(2000));
      await checkpointer.caughtUp(0, 5_000, 0);
      // Every page is in the database file already: what the writer sees is what the file's header says.
      expect(pagesInMainFile(file)).toBe(db.pragma('page_count', { simple: true }));
      expect(pagesInMainFile(file)).toBeGreaterThan(1500);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });
});
