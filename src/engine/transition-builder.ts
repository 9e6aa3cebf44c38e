import type { ExecutionPatch, ExecutionRecord, LogRecord, NodeRunPatch, NodeRunRecord, RunUpdate, Transition } from './store-port.js';

/**
 * Accumulates one tick's changes to one execution. A run inserted and then changed in the same tick
 * is written once, in its final form; several patches to an existing row merge into one update.
 */
export class TransitionBuilder {
  private insertExecution: ExecutionRecord | undefined;
  private execPatch: ExecutionPatch | undefined;
  private readonly inserts = new Map<string, NodeRunRecord>();
  private readonly updates = new Map<string, { expectToken?: number; set: NodeRunPatch }>();
  private logs: LogRecord[] = [];
  /** Run ids in the order of their last change, so events can follow what happened. */
  private readonly touched = new Set<string>();

  constructor(private readonly executionId: string) {}

  private touch(id: string): void {
    this.touched.delete(id);
    this.touched.add(id);
  }

  /** Ids of the runs this tick changed, last-changed last. Cleared by take(). */
  get order(): readonly string[] {
    return [...this.touched];
  }

  createExecution(record: ExecutionRecord): void {
    this.insertExecution = record;
  }

  patchExecution(patch: ExecutionPatch): void {
    if (this.insertExecution) this.insertExecution = { ...this.insertExecution, ...patch };
    else this.execPatch = { ...this.execPatch, ...patch };
  }

  insertRun(run: NodeRunRecord): void {
    this.inserts.set(run.id, run);
    this.touch(run.id);
  }

  patchRun(run: NodeRunRecord, patch: NodeRunPatch, expectToken?: number): void {
    this.touch(run.id);
    const inserted = this.inserts.get(run.id);
    if (inserted) {
      this.inserts.set(run.id, { ...inserted, ...patch });
      return;
    }
    const prev = this.updates.get(run.id);
    const guard = prev?.expectToken ?? expectToken;
    this.updates.set(run.id, { ...(guard === undefined ? {} : { expectToken: guard }), set: { ...prev?.set, ...patch } });
  }

  log(record: LogRecord): void {
    this.logs.push(record);
  }

  get isEmpty(): boolean {
    return !this.insertExecution && !this.execPatch && this.inserts.size === 0 && this.updates.size === 0 && this.logs.length === 0;
  }

  /** Hands over what was accumulated and starts afresh. */
  take(): Transition {
    const updateRuns: RunUpdate[] = [];
    for (const [id, u] of this.updates) updateRuns.push({ id, ...u });
    const t: Transition = {
      executionId: this.executionId,
      ...(this.insertExecution ? { insertExecution: this.insertExecution } : {}),
      ...(this.execPatch ? { updateExecution: this.execPatch } : {}),
      insertRuns: [...this.inserts.values()],
      updateRuns,
      logs: this.logs,
    };
    this.insertExecution = undefined;
    this.execPatch = undefined;
    this.inserts.clear();
    this.updates.clear();
    this.touched.clear();
    this.logs = [];
    return t;
  }
}

/** No row to write and no claimed job to complete: such a tick commits nothing. */
export function nothingToWrite(t: Transition): boolean {
  return !t.insertExecution && !t.updateExecution && t.insertRuns.length === 0 && t.updateRuns.length === 0 && t.logs.length === 0 && !t.completeJobs?.length;
}
