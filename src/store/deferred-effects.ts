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

/** Journal rows (in id order) merged into one set of effects. */
export function mergeJournal(texts: Iterable<string>): PendingEffects {
  const audit: StartAuditEntry[] = [];
  const finished: FinishedExecution[] = [];
  const totals = new RollupTotals();
  for (const text of texts) {
    const row = JSON.parse(text) as JournalRow;
    for (const [ts, actor, resourceId, details] of row.a ?? []) audit.push({ ts, actor, resourceId, details });
    for (const [executionId, sketchIndex] of row.f ?? []) finished.push({ executionId, sketchIndex });
    if (row.r !== undefined) totals.addRows(row.r);
  }
  return { audit, finished, totals };
}

/** What a store does to flush: apply the oldest journal rows and delete them, in one transaction. */
export interface DeferredEffectsStore {
  /**
   * Applies a chunk of the journal; true when rows may be left (the next chunk goes after a turn of
   * the event loop). `wait`: also take rows another process is applying right now, once it is done
   * (PostgreSQL; otherwise they are skipped and left to it).
   */
  applyDeferredEffects(wait: boolean): Promise<boolean>;
}

/**
 * Applies the journal every `intervalMs` (and at start: rows a crash left) and on demand (`settle`).
 * One flush at a time per process. A failing flush (database down) leaves the rows for the next.
 */
export class EffectsFlusher {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly store: DeferredEffectsStore, intervalMs = 250) {
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
      while (await this.store.applyDeferredEffects(wait)) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    });
    this.running = next;
    return next;
  }
}
