import { isSecretRef } from '../../model/secret-ref.js';
import type { ExecutionRecord, LogRecord, NodeRunRecord } from '../../engine/store-port.js';
import type { ExecutionSummary, LinkedExecution } from '../../store/execution-queries.js';
import { REDACTED } from '../../model/redaction-marker.js';
import { iso } from '../schemas/common.js';

export function presentExecutionSummary(x: ExecutionSummary) {
  return {
    id: x.id, workflow_id: x.workflow_id, version: x.version, status: x.status, mode: x.mode, trigger_type: x.trigger_type, error: x.error,
    created_at: iso(x.created_at)!, started_at: iso(x.started_at), finished_at: iso(x.finished_at), duration_ms: x.duration_ms,
  };
}

/** The execution record; secret variables are redacted (declared `secret` in the version, or holding a vault reference). */
export function presentExecution(x: ExecutionRecord, secretVariables: ReadonlySet<string> = new Set()) {
  // A vault reference is what a secret variable stores: shown as the marker like the declared ones.
  const variables = Object.fromEntries(Object.entries(x.variables).map(([k, v]) => [k, secretVariables.has(k) || isSecretRef(v) ? REDACTED : v]));
  return {
    ...presentExecutionSummary(x),
    version_id: x.version_id, input_data: x.input_data ?? null, variables, output: x.output ?? null, idempotency_key: x.idempotency_key,
    parent_execution_id: x.parent_execution_id, parent_node_id: x.parent_node_id, depth: x.depth, retry_of: x.retry_of,
    concurrency_key: x.concurrency_key ?? null,
  };
}

/** Set on a run a retry kept from the execution it retries (ReusedRunState). */
function reusedFrom(r: NodeRunRecord): { execution_id: string; run_id: string } | null {
  const s = r.state as { reused_from?: { execution_id: string; run_id: string } } | null;
  return s !== null && typeof s === 'object' && s.reused_from ? s.reused_from : null;
}

/** What a run_workflow step waits for (or waited for): its child. */
function childOf(r: NodeRunRecord): string | null {
  const s = r.state as { waiting?: { kind?: string; child_execution_id?: string } } | null;
  if (s?.waiting?.kind === 'workflow' && typeof s.waiting.child_execution_id === 'string') return s.waiting.child_execution_id;
  const out = r.output as { child_execution_id?: unknown } | null | undefined;
  return out !== null && typeof out === 'object' && typeof out.child_execution_id === 'string' ? out.child_execution_id : null;
}

export function presentNodeRun(r: NodeRunRecord, logs: readonly LogRecord[] = []) {
  return {
    reused_from: reusedFrom(r), child_execution_id: childOf(r),
    id: r.id, execution_id: r.execution_id, node_id: r.node_id, scope: r.scope, attempt: r.attempt, status: r.status,
    input: r.input ?? null, output: r.output ?? null, error: r.error,
    started_at: iso(r.started_at), finished_at: iso(r.finished_at), duration_ms: r.duration_ms, wake_at: iso(r.wake_at),
    logs: logs.map((l) => ({ level: l.level, message: l.message, data: l.data ?? null, ts: iso(l.ts)! })),
  };
}

/** Every attempt of every node, in creation order, each with its own log lines. */
export function presentExecutionDetail(
  x: ExecutionRecord, runs: readonly NodeRunRecord[], logs: readonly LogRecord[], secretVariables?: ReadonlySet<string>,
  linked: { children: readonly LinkedExecution[]; retries: readonly LinkedExecution[] } = { children: [], retries: [] },
) {
  const byAttempt = new Map<string, LogRecord[]>();
  for (const l of logs) {
    const key = `${l.node_id ?? ''}\u0000${l.scope}\u0000${l.attempt}`;
    const list = byAttempt.get(key) ?? [];
    list.push(l);
    byAttempt.set(key, list);
  }
  const sorted = [...runs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    ...presentExecution(x, secretVariables),
    nodes: sorted.map((r) => presentNodeRun(r, byAttempt.get(`${r.node_id}\u0000${r.scope}\u0000${r.attempt}`))),
    children: linked.children.map(presentLinked),
    retries: linked.retries.map(presentLinked),
  };
}

function presentLinked(l: LinkedExecution) {
  return { id: l.id, workflow_id: l.workflow_id, status: l.status, parent_node_id: l.parent_node_id, created_at: iso(l.created_at)! };
}
