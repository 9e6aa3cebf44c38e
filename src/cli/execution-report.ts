import type { EngineStore, ExecutionRecord } from '../engine/store-port.js';

/** The execution record `itw run` prints: the execution plus every node attempt and its logs. */
export async function executionReport(store: EngineStore, execution: ExecutionRecord): Promise<Record<string, unknown>> {
  const loaded = await store.loadExecution(execution.id);
  const logs = await store.listLogs(execution.id);
  const runs = [...(loaded?.runs ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ex = loaded?.execution ?? execution;
  return {
    id: ex.id,
    workflow_id: ex.workflow_id,
    version: ex.version,
    status: ex.status,
    input_data: ex.input_data,
    output: ex.output,
    error: ex.error,
    started_at: iso(ex.started_at),
    finished_at: iso(ex.finished_at),
    duration_ms: ex.duration_ms,
    nodes: runs.map((r) => ({
      id: r.id,
      node_id: r.node_id,
      scope: r.scope,
      attempt: r.attempt,
      status: r.status,
      input: r.input,
      output: r.output,
      error: r.error,
      started_at: iso(r.started_at),
      finished_at: iso(r.finished_at),
      duration_ms: r.duration_ms,
      logs: logs
        .filter((l) => l.node_id === r.node_id && l.scope === r.scope && l.attempt === r.attempt)
        .map((l) => ({ level: l.level, message: l.message, data: l.data, ts: iso(l.ts) })),
    })),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
