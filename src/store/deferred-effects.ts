import { silentLogger, type Logger } from '../model/logger.js';
import type { BatchEffects } from './batch-effects.js';
import { startAuditEntries, type StartAuditEntry } from './execution-audit.js';
import type { FinishedExecution } from './execution-rollups.js';
import { RollupTotals, type SummedRows } from './rollup-summaries.js';

/**
 * Commit effects, deferred (migration 019). An engine commit writes its batch's audit entries and the
 * executions it finished as ONE journal row in its own transaction; `EffectsFlusher` applies many
 * rows at once — the audit inserts and the three rollup upserts over all their executions — and
 * deletes them, in one transaction. So the effects stay exactly as durable as the commit (a kill -9
 * loses both or neither; rows left by a crash are applied by the next flush, of any process), are
 * applied exactly once, and cost one small insert per commit instead of four statements. Readers of
 * the metrics and the audit log settle the journal first, so they see every commit that came before.
 */
export interface PendingEffects {
  /** In commit order. */
  readonly audit: StartAuditEntry[];
  /** Rolled up from their stored rows. */
  readonly finished: FinishedExecution[];
  /** Added up from what their commits held (rollup-summaries.ts). */
  readonly totals: RollupTotals;
  /** Rows that do not read as a journal row: deleted with the rest, their effects lost (see readJournalRow). */
  readonly unreadable: UnreadableJournalRow[];
}

/** A journal row as the stores read it. */
export interface StoredJournalRow {
  readonly id: number | string;
  readonly effects: string;
}

export interface UnreadableJournalRow {
  readonly id: string;
  readonly reason: string;
}

type AuditTuple = [ts: number, actor: string, resourceId: string, details: string];
type FinishedTuple = [executionId: string, sketchIndex: number | null];
interface JournalRow {
  readonly a?: AuditTuple[];
  readonly f?: FinishedTuple[];
  readonly r?: SummedRows;
}

/** The journal row of a batch's effects; undefined when it has none. */
export function journalText(effects: BatchEffects): string | undefined {
  const { started, finished, totals } = effects;
  if (started.length === 0 && finished.length === 0 && totals.empty) return undefined;
  const row: JournalRow = {
    a: startAuditEntries(started).map((e): AuditTuple => [e.ts, e.actor, e.resourceId, e.details]),
    f: finished.map((f): FinishedTuple => [f.executionId, f.sketchIndex]),
    r: totals.rows(),
  };
  return JSON.stringify(row);
}

/** Journal rows (in id order) merged into one set of effects; rows that do not read are set apart. */
export function mergeJournal(rows: Iterable<StoredJournalRow>): PendingEffects {
  const audit: StartAuditEntry[] = [];
  const finished: FinishedExecution[] = [];
  const totals = new RollupTotals();
  const unreadable: UnreadableJournalRow[] = [];
  for (const { id, effects } of rows) {
    let row: JournalRow;
    try {
      row = readJournalRow(effects);
    } catch (err) {
      unreadable.push({ id: String(id), reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    for (const [ts, actor, resourceId, details] of row.a ?? []) audit.push({ ts, actor, resourceId, details });
    for (const [executionId, sketchIndex] of row.f ?? []) finished.push({ executionId, sketchIndex });
    if (row.r !== undefined) totals.addRows(row.r);
  }
  return { audit, finished, totals, unreadable };
}

/**
 * A journal row, checked cell by cell. Only this code writes the journal, but a row it cannot read
 * (a hand edit, a bug in some later version) must not stop every later flush — and with them every
 * metrics and audit read — nor reach SQL as the wrong type and fail the whole chunk: such a row is
 * set apart, deleted with its chunk and logged (EffectsFlusher). The executions it summed stay stored.
 */
export function readJournalRow(text: string): JournalRow {
  const row = JSON.parse(text) as unknown;
  if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('not a JSON object');
  const { a, f, r } = row as Record<string, unknown>;
  tuples(a, 'a', ['number', 'string', 'string', 'string']);
  tuples(f, 'f', ['string', 'number?']);
  if (r !== undefined) {
    if (typeof r !== 'object' || r === null) throw new Error('r is not an object');
    const { e, s, n } = r as Record<string, unknown>;
    tuples(e, 'r.e', ['string', 'number', 'string', 'number', 'number', 'number', 'number?', 'number?']);
    tuples(s, 'r.s', ['string', 'number', 'number', 'number']);
    tuples(n, 'r.n', ['string', 'string', 'number', 'number', 'number', 'number', 'number']);
  }
  return row;
}

type CellType = 'string' | 'number' | 'number?';

function tuples(list: unknown, name: string, shape: readonly CellType[]): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new Error(`${name} is not an array`);
  list.forEach((t: unknown, i) => {
    if (!Array.isArray(t) || t.length !== shape.length) throw new Error(`${name}[${i}] is not a tuple of ${shape.length}`);
    shape.forEach((type, k) => {
      const v: unknown = t[k];
      const ok = type === 'string' ? typeof v === 'string' : (typeof v === 'number' && Number.isFinite(v)) || (type === 'number?' && v === null);
      if (!ok) throw new Error(`${name}[${i}][${k}] is not a ${type === 'number?' ? 'number or null' : type}`);
    });
  });
}

/** What a store does to flush: apply the oldest journal rows and delete them, in one transaction. */
export interface DeferredEffectsStore {
  /**
   * Applies a chunk of the journal. `wait`: also take rows another process is applying right now, once it is done
   * (PostgreSQL; otherwise they are skipped and left to it).
   */
  applyDeferredEffects(wait: boolean): Promise<FlushedChunk>;
}

export interface FlushedChunk {
  /** Rows may be left: the next chunk goes after a turn of the event loop. */
  readonly more: boolean;
  readonly unreadable: readonly UnreadableJournalRow[];
}

/** While flushes keep failing, at most one log line per this long. */
const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * Applies the journal every `intervalMs` (and at start: rows a crash left) and on demand (`settle`).
 * One flush at a time per process. A failing flush (database down) leaves the rows for the next; the
 * first failure is logged, then one line a minute while they go on, and one when a flush succeeds again.
 */
export class EffectsFlusher {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Since when flushes fail (epoch ms), and when that was last logged. */
  private failingSince: number | undefined;
  private failureLoggedAt = 0;

  constructor(
    private readonly store: DeferredEffectsStore,
    intervalMs = 250,
    private readonly logger: Logger = silentLogger,
  ) {
    this.timer = setInterval(() => void this.flush(false).catch(() => undefined), intervalMs);
    this.timer.unref();
    void this.flush(false).catch(() => undefined);
  }

  /** Resolves once every commit made before the call has its effects applied; rejects when a flush fails. */
  settle(): Promise<void> {
    return this.flush(true);
  }

  /** Stops the timer and applies what is left. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.flush(true).catch(() => undefined);
  }

  private flush(wait: boolean): Promise<void> {
    const next = this.running.catch(() => undefined).then(async () => {
      try {
        for (;;) {
          const chunk = await this.store.applyDeferredEffects(wait);
          if (chunk.unreadable.length > 0) {
            this.logger.error({ rows: chunk.unreadable }, 'effects journal: deleted rows that do not read as journal rows; the metrics and execution.started audit entries they held are lost');
          }
          if (!chunk.more) break;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (err) {
        this.failed(err);
        throw err;
      }
      this.succeeded();
    });
    this.running = next;
    return next;
  }

  private failed(err: unknown): void {
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failureLoggedAt < FAILURE_LOG_EVERY_MS) return;
    this.failureLoggedAt = now;
    this.logger.warn({ err, failing_for_ms: now - this.failingSince }, 'effects journal: could not apply it (metrics and audit reads wait for it); retrying');
  }

  private succeeded(): void {
    if (this.failingSince === undefined) return;
    this.logger.info({ failed_for_ms: Date.now() - this.failingSince }, 'effects journal: applied again');
    this.failingSince = undefined;
    this.failureLoggedAt = 0;
  }
}
