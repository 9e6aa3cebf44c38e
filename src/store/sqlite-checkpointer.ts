import { stat } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SQLITE_DRIVER_PATH } from './sqlite-driver.js';

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
  /** Shared with the worker, slots named by CONTROL: no messages, so the worker can sleep in Atomics.wait. */
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL.size * 4));
  private lastLook = 0;
  /** False once the worker thread has exited: nobody is left to wait for. */
  private alive = true;

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
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver: SQLITE_DRIVER_PATH, intervalMs: this.opts.intervalMs ?? 500, control: this.control } });
    this.worker = worker;
    // The worker holds no promise the process waits on: it never keeps `itw` alive by itself.
    worker.unref();
    // A checkpoint that fails (disk full, file gone) is retried at the next interval; a worker that dies
    // leaves the main connection's automatic checkpoint in charge.
    worker.on('error', () => undefined);
    this.exited = new Promise((resolve) => worker.once('exit', () => {
      this.alive = false;
      resolve();
    }));
  }

  /**
   * Resolves once the worker's checkpoints are no more than `maxFrames` behind, or have copied every
   * frame (the next commit then starts the WAL over). Bulk background writers (retention) await it
   * between chunks: otherwise back-to-back deletes outrun the checkpoints, the WAL grows to the main
   * connection's automatic threshold and the checkpoint runs on the event loop after all (130–160 ms
   * stalls while pruning 500,000 executions, measured with the history bench). Each look asks the
   * worker for a checkpoint now, so it never judges by a report older than the caller's last write;
   * since each such checkpoint syncs the files, a caller returning within `lookEveryMs` of the last
   * look goes on without one (a checkpoint per 100-row chunk made pruning five times slower).
   * Waits at most `maxWaitMs`: a stuck worker slows retention down, never stops it.
   */
  async caughtUp(maxFrames = 4096, maxWaitMs = 5_000, lookEveryMs = 100): Promise<void> {
    if (Date.now() - this.lastLook < lookEveryMs) return;
    try {
      await this.look(maxFrames, maxWaitMs);
    } finally {
      this.lastLook = Date.now();
    }
  }

  private async look(maxFrames: number, maxWaitMs: number): Promise<void> {
    const until = Date.now() + maxWaitMs;
    const c = this.control;
    const waiting = (): boolean => this.worker !== undefined && this.alive && !this.stopped && Date.now() < until;
    while (waiting()) {
      const asked = Atomics.add(c, CONTROL.requests, 1) + 1;
      Atomics.notify(c, CONTROL.requests);
      while (Atomics.load(c, CONTROL.answered) < asked && waiting()) await sleep(2);
      const log = Atomics.load(c, CONTROL.log);
      if (log <= maxFrames || Atomics.load(c, CONTROL.copied) >= log) return;
      await sleep(5);
    }
  }

  /** Stops after the checkpoint under way (if any); its connection closes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watch);
    if (!this.worker) return;
    // Referenced again while it finishes: otherwise a process awaiting this (and nothing else) would
    // see an empty event loop and exit before the worker had closed its connection.
    this.worker.ref();
    Atomics.store(this.control, CONTROL.stop, 1);
    Atomics.notify(this.control, CONTROL.requests);
    await this.exited;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Slots of the control block: the worker's last checkpoint (frames in the WAL, frames copied), requests asked and answered, stop. */
const CONTROL = { log: 0, copied: 1, requests: 2, answered: 3, stop: 4, size: 5 } as const;

/** Below this much WAL the main connection's reads and commits do not suffer; 1,000 pages of 4 KB. */
const DEFAULT_START_AT_WAL_BYTES = 4 * 1024 * 1024;

/**
 * CommonJS, evaluated in the worker: one connection, one PASSIVE checkpoint per interval or when
 * asked (caughtUp), sleeping in Atomics.wait in between (no event loop to keep turning). The WAL
 * only starts over once a checkpoint has copied every frame; under a steady stream of commits one
 * that ran while new frames arrived is left a little behind, so it goes again after 5 ms until it
 * finds a quiet moment. A stream with none (one-connection webhook load: a commit every ~350 µs)
 * still grows the WAL to the main connection's threshold, where the checkpoint runs on the event
 * loop after all (~40–50 ms on disk every ~200 MB; docs/BENCHMARKS.md, "The WAL under sustained load").
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const c = workerData.control;
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let next = workerData.intervalMs;
for (;;) {
  if (Atomics.load(c, ${CONTROL.stop}) === 1) break;
  const asked = Atomics.load(c, ${CONTROL.requests});
  // Asleep until the interval ends or someone asks (caughtUp); a request made meanwhile is answered at once.
  if (asked === Atomics.load(c, ${CONTROL.answered})) Atomics.wait(c, ${CONTROL.requests}, asked, next);
  if (Atomics.load(c, ${CONTROL.stop}) === 1) break;
  const answering = Atomics.load(c, ${CONTROL.requests});
  next = workerData.intervalMs;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r && r.log >= 0) {
      Atomics.store(c, ${CONTROL.log}, r.log);
      Atomics.store(c, ${CONTROL.copied}, r.checkpointed);
    }
    if (r && r.log > 0 && r.checkpointed < r.log) next = 5;
  } catch { /* busy or failing: the next interval tries again */ }
  Atomics.store(c, ${CONTROL.answered}, answering);
}
db.close();
`;
