import type { ExecutionRecord, NodeRunPatch, NodeRunRecord, RunUpdate, Transition } from '../engine/store-port.js';
import type { ExecutionGroup } from './commit-groups.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';

/**
 * Payloads stored once per execution (issue 17). A node's input is its predecessor's output and a
 * trigger's input and output are the execution's input_data: the engine hands the store the very
 * same objects. The store writes each object once; a later run input or output that is the same
 * object (identity, not deep equality: no hashing of payloads on the hot path) is stored as a
 * reference in `input_ref` / `output_ref` with the JSON column NULL:
 *   `@input`  → the execution's input_data
 *   a run id → that run's output (same execution; deleted with it)
 * Reads resolve references before anyone sees a run, so every reader (engine recovery, API, SSE,
 * exports, CLI) gets the same records as before. Anything not known to be stored already (primitives,
 * objects built fresh, another process's values) is stored as a copy, which is always correct.
 */
export const EXECUTION_INPUT_REF = '@input';

/** A run input/output the store writes as a reference (never leaves the store). */
export class PayloadRef {
  constructor(readonly target: string) {}
}

interface Known {
  readonly executionId: string;
  readonly target: string;
}

type RefColumns = readonly [json: unknown, ref: string | null];

/** Splits a run field into (value to store as JSON, reference or null). */
export function refColumns(value: unknown): RefColumns {
  return value instanceof PayloadRef ? [undefined, value.target] : [value, null];
}

const FINAL_RUN = new Set(['completed', 'failed', 'skipped', 'cancelled']);

export class PayloadRefs {
  /** Objects whose JSON is committed, by identity. Weak: a finished execution's payloads go with it. */
  private readonly stored = new WeakMap<object, Known>();

  /**
   * Starts encoding one commit. Each commit has its own pending writes, so commits may be in flight
   * together (PostgreSQL): what one writes becomes referable once it committed (confirm), never before.
   */
  begin(): CommitRefs {
    return new CommitRefs(this.stored);
  }

  /** Values read back from the database are stored: later writes of the same objects can refer to them. */
  rememberLoaded(execution: ExecutionRecord, runs: readonly NodeRunRecord[]): void {
    remember(this.stored, execution.id, execution.input_data, EXECUTION_INPUT_REF);
    for (const r of runs) if (FINAL_RUN.has(r.status)) remember(this.stored, r.execution_id, r.output, r.id);
  }
}

/** The references of one commit: written in it, stored only once it commits, and not for refused executions. */
export class CommitRefs {
  private readonly pending = new Map<object, Known>();
  /**
   * Executions this commit finishes: no later run will refer to their payloads, so they are not
   * remembered (a WeakMap entry costs a write barrier and work at every scavenge, and an inline
   * webhook execution is born and finished in one commit).
   */
  private readonly ended = new Set<string>();

  constructor(private readonly stored: WeakMap<object, Known>) {}

  encode(groups: readonly ExecutionGroup[]): ExecutionGroup[] {
    return groups.map((g) => ({ ...g, transitions: g.transitions.map((t) => this.encodeTransition(t)) }));
  }

  /** After COMMIT: what the refused executions wrote is not in the database. */
  confirm(rejected: ReadonlySet<string>): void {
    for (const [value, known] of this.pending) {
      if (!rejected.has(known.executionId) && !this.ended.has(known.executionId)) this.stored.set(value, known);
    }
  }

  private encodeTransition(t: Transition): Transition {
    const x = t.executionId;
    const status = t.updateExecution?.status ?? t.insertExecution?.status;
    if (status !== undefined) {
      if (isFinalExecutionStatus(status)) this.ended.add(x);
      else this.ended.delete(x);
    }
    if (t.insertExecution) remember(this.pending, x, t.insertExecution.input_data, EXECUTION_INPUT_REF);
    let changed = false;
    const insertRuns = t.insertRuns.map((r) => {
      const e = this.encodeFields(x, r.id, r);
      if (e !== r) changed = true;
      return e;
    });
    const updateRuns = t.updateRuns.map((u): RunUpdate => {
      const set = this.encodeFields(x, u.id, u.set);
      if (set === u.set) return u;
      changed = true;
      return { ...u, set };
    });
    return changed ? { ...t, insertRuns, updateRuns } : t;
  }

  private encodeFields<T extends NodeRunPatch>(executionId: string, runId: string, r: T): T {
    const input = 'input' in r ? this.refFor(executionId, r.input) : undefined;
    const output = 'output' in r ? this.refFor(executionId, r.output) : undefined;
    // A final run's output does not change again, so later runs may refer to it.
    if (output === undefined && r.status !== undefined && FINAL_RUN.has(r.status)) remember(this.pending, executionId, r.output, runId);
    if (input === undefined && output === undefined) return r;
    return { ...r, ...(input ? { input } : {}), ...(output ? { output } : {}) };
  }

  private refFor(executionId: string, value: unknown): PayloadRef | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const known = this.pending.get(value) ?? this.stored.get(value);
    return known !== undefined && known.executionId === executionId ? new PayloadRef(known.target) : undefined;
  }
}

function remember(into: Map<object, Known> | WeakMap<object, Known>, executionId: string, value: unknown, target: string): void {
  if (typeof value !== 'object' || value === null || into.has(value)) return;
  into.set(value, { executionId, target });
}

/**
 * Replaces references in `runs` by the values they stand for. `byId` must hold every run referred to
 * (transitively) and `inputs` the input_data of every execution with an `@input` reference; the same
 * object is handed out for every use, as the engine had it in memory.
 */
export function resolveRefs(runs: readonly NodeRunRecord[], byId: ReadonlyMap<string, NodeRunRecord>, inputs: ReadonlyMap<string, unknown>): NodeRunRecord[] {
  const outputs = new Map<string, unknown>();
  const resolve = (executionId: string, v: unknown, depth: number): unknown => {
    if (!(v instanceof PayloadRef)) return v;
    if (v.target === EXECUTION_INPUT_REF) return inputs.get(executionId);
    const cached = outputs.get(v.target);
    if (cached !== undefined || outputs.has(v.target)) return cached;
    const target = byId.get(v.target);
    // A chain is as long as the path of pass-throughs that made it; a cycle cannot be written.
    if (target === undefined || depth > 10_000) throw new Error(`stored run output ${v.target} referred to by execution ${executionId} is missing`);
    const out = resolve(executionId, target.output, depth + 1);
    outputs.set(v.target, out);
    return out;
  };
  return runs.map((r) => {
    if (!(r.input instanceof PayloadRef) && !(r.output instanceof PayloadRef)) return r;
    return { ...r, input: resolve(r.execution_id, r.input, 0), output: resolve(r.execution_id, r.output, 0) };
  });
}

/** Run ids and executions the references in `runs` point to, outside `have`. */
export function missingTargets(runs: readonly NodeRunRecord[], have: ReadonlyMap<string, NodeRunRecord>): { runIds: string[]; executionIds: string[] } {
  const runIds = new Set<string>();
  const executionIds = new Set<string>();
  for (const r of runs) {
    for (const v of [r.input, r.output]) {
      if (!(v instanceof PayloadRef)) continue;
      if (v.target === EXECUTION_INPUT_REF) executionIds.add(r.execution_id);
      else if (!have.has(v.target)) runIds.add(v.target);
    }
  }
  return { runIds: [...runIds], executionIds: [...executionIds] };
}
