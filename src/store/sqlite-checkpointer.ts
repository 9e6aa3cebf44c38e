import { stat } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite WAL back into the database file from a worker thread with its own connection.
 *
 * Why: better-sqlite3 is synchronous, so SQLite's automatic checkpoint ran inside whichever commit
 * crossed the WAL threshold, on the event loop — tens of megabytes copied and fsynced while every
 * webhook and `/health` waited (the 100+ ms stalls of the history bench's pruning). A PASSIVE
 * checkpoint never takes a lock the writer needs, so the main connection keeps committing while the
 * worker copies; when a checkpoint has caught up, the next commit starts the WAL over from its
 * beginning (and `journal_size_limit` trims the file). The main connection keeps a far higher
 * automatic threshold as a safety net should the worker ever stop.
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly watch: NodeJS.Timeout;
  private stopped = false;

  /**
   * The worker thread (its own V8 isolate: ~16 MB of RSS) starts only once the WAL file reaches
   * `startAtWalBytes`: an idle or lightly used instance never needs it (issue 14, idle RSS), and a
   * few megabytes of WAL left uncopied cost nothing (the main connection's safety net is ~200 MB).
   */
  constructor(private readonly file: string, private readonly opts: { intervalMs?: number; startAtWalBytes?: number } = {}) {
    const limit = opts.startAtWalBytes ?? DEFAULT_START_AT_WAL_BYTES;
    this.watch = setInterval(() => {
      stat(`${file}-wal`, (err, st) => {
        if (!err && st.size >= limit) this.start();
      });
    }, opts.intervalMs ?? 500);
    this.watch.unref();
  }

  /** Whether the worker thread runs (it starts with the first sizeable WAL). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  private start(): void {
    clearInterval(this.watch);
    if (this.worker || this.stopped) return;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver, intervalMs: this.opts.intervalMs ?? 500 } });
    this.worker = worker;
    // The worker holds no promise the process waits on: it never keeps `itw` alive by itself.
    worker.unref();
    // A checkpoint that fails (disk full, file gone) is retried at the next interval; a worker that dies
    // leaves the main connection's automatic checkpoint in charge.
    worker.on('error', () => undefined);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /** Stops after the checkpoint under way (if any); its connection closes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watch);
    if (!this.worker) return;
    // Referenced again while it finishes: otherwise a process awaiting this (and nothing else) would
    // see an empty event loop and exit before the worker had closed its connection.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}

/** Below this much WAL the main connection's reads and commits do not suffer; 1,000 pages of 4 KB. */
const DEFAULT_START_AT_WAL_BYTES = 4 * 1024 * 1024;

/**
 * CommonJS, evaluated in the worker: one connection, one PASSIVE checkpoint per interval. The WAL
 * only starts over once a checkpoint has copied every frame; under a steady stream of commits one
 * that ran while new frames arrived is left a little behind, so it goes again after 5 ms until it
 * finds a quiet moment, instead of letting the WAL grow to the main connection's threshold (where the
 * checkpoint would run on the event loop after all).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let timer;
const tick = () => {
  let next = workerData.intervalMs;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r && r.log > 0 && r.checkpointed < r.log) next = 5;
  } catch { /* busy or failing: the next interval tries again */ }
  timer = setTimeout(tick, next);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;
