import type { ExecutionRecord, LogRecord, NodeRunRecord, Transition } from '../src/engine/store-port.js';
import { newId } from '../src/model/ids.js';
import type { Store } from '../src/store/connect.js';

/** One finished execution as the engine stored it: the template every filled execution copies. */
export interface HistoryTemplate {
  readonly execution: ExecutionRecord;
  readonly runs: readonly NodeRunRecord[];
  readonly logs: readonly LogRecord[];
}

const DAY_MS = 86_400_000;

/**
 * Fills `store` with `n` executions shaped like `template`, created evenly over the `days` before
 * `end`, through the store's own commit (the engine's write path, rollups included) in big batches.
 * Each execution gets fresh copies of the template's payload objects, shared between its runs the way
 * the engine shares them (a trigger's output IS the input): the store sees what the engine hands it.
 * Every 50th execution failed. Returns the fill rate.
 */
export async function fillHistory(store: Store, template: HistoryTemplate, n: number, end: number, days: number, log: (s: string) => void): Promise<number> {
  const started = performance.now();
  const spacing = (days * DAY_MS) / n;
  const batch = 2000;
  for (let i = 0; i < n; i += batch) {
    const transitions: Transition[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) transitions.push(copyOf(template, j, Math.round(end - (n - j) * spacing)));
    await store.engine.commit(transitions);
    if ((i / batch) % 50 === 0) log(`  filled ${i + transitions.length} / ${n}`);
  }
  return n / ((performance.now() - started) / 1000);
}

function copyOf(t: HistoryTemplate, i: number, created: number): Transition {
  const x = t.execution;
  const copies = new Map<object, unknown>();
  // One copy per distinct template object: identity inside an execution is what payload refs follow.
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    let c = copies.get(v);
    if (c === undefined) {
      c = structuredClone(v);
      copies.set(v, c);
    }
    return c;
  };
  const id = newId(x.id.split('_')[0]!, created);
  const duration = 2 + ((i * 7919) % 40);
  const failed = i % 50 === 7;
  const shift = created - x.created_at;
  const execution: ExecutionRecord = {
    ...x, id, input_data: copy(x.input_data), output: failed ? undefined : copy(x.output), created_at: created,
    started_at: created, finished_at: created + duration, duration_ms: duration, idempotency_key: null,
    status: failed ? 'failed' : 'completed', error: failed ? { message: 'bench failure', code: 'expression_error', retryable: false } : null,
  };
  const runIds = new Map(t.runs.map((r) => [r.id, newId(r.id.split('_')[0]!, created)]));
  const runs = t.runs.map((r): NodeRunRecord => ({
    ...r, id: runIds.get(r.id)!, execution_id: id, input: copy(r.input), output: copy(r.output),
    started_at: r.started_at === null ? null : r.started_at + shift, finished_at: r.finished_at === null ? null : r.finished_at + shift,
  }));
  const logs = t.logs.map((l) => ({ ...l, execution_id: id, ts: l.ts + shift }));
  return { executionId: id, insertExecution: execution, insertRuns: runs, updateRuns: [], logs };
}
