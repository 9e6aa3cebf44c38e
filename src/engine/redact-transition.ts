import type { Redactor } from './redactor.js';
import type { ExecutionPatch, ExecutionRecord, LogRecord, NodeRunPatch, NodeRunRecord, Transition } from './store-port.js';

const RUN_FIELDS = ['input', 'output', 'error', 'state'] as const;
const EXECUTION_FIELDS = ['input_data', 'output', 'error', 'variables'] as const;

function runPart<T extends NodeRunPatch | NodeRunRecord>(r: Redactor, run: T): T {
  const out: Record<string, unknown> = { ...run };
  for (const f of RUN_FIELDS) if (f in run) out[f] = r.redact(run[f as keyof T]);
  return out as T;
}

function executionPart<T extends ExecutionPatch | ExecutionRecord>(r: Redactor, e: T): T {
  const out: Record<string, unknown> = { ...e };
  for (const f of EXECUTION_FIELDS) if (f in e) out[f] = r.redact(e[f as keyof T]);
  return out as T;
}

function logPart(r: Redactor, l: LogRecord): LogRecord {
  return { ...l, message: r.redactText(l.message), data: r.redact(l.data) };
}

/** The transition as it may be stored: secrets the vault handed out are replaced by a marker. */
export function redactTransition(r: Redactor, t: Transition): Transition {
  if (!r.active) return t;
  return {
    executionId: t.executionId,
    ...(t.insertExecution ? { insertExecution: executionPart(r, t.insertExecution) } : {}),
    ...(t.updateExecution ? { updateExecution: executionPart(r, t.updateExecution) } : {}),
    insertRuns: t.insertRuns.map((run) => runPart(r, run)),
    updateRuns: t.updateRuns.map((u) => ({ ...u, set: runPart(r, u.set) })),
    logs: t.logs.map((l) => logPart(r, l)),
  };
}

export function redactRun(r: Redactor, run: NodeRunRecord): NodeRunRecord {
  return r.active ? runPart(r, run) : run;
}

export function redactExecution(r: Redactor, e: ExecutionRecord): ExecutionRecord {
  return r.active ? executionPart(r, e) : e;
}
