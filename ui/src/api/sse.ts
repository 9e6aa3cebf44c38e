import type { Execution, NodeRun, OutputLine } from './types';

export interface ExecutionStreamHandlers {
  readonly snapshot?: (s: { execution: Execution; nodes: readonly NodeRun[] }) => void;
  readonly node?: (run: NodeRun) => void;
  readonly execution?: (x: Execution) => void;
  /** A line a running step's process wrote (live terminal). */
  readonly output?: (line: OutputLine) => void;
  /** The stream ended (a final status) or broke; `final` tells which. */
  readonly end?: (final: boolean) => void;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

function parse<T>(e: Event): T | undefined {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

/**
 * Follows one execution over GET /automation/executions/{id}/events (same-origin EventSource: the
 * session cookie goes along). The server ends the stream at a final status; EventSource would then
 * reconnect by itself, so it is closed here instead. Returns the function that stops following.
 */
export function followExecution(id: string, h: ExecutionStreamHandlers): () => void {
  const es = new EventSource(`/automation/executions/${encodeURIComponent(id)}/events`);
  let finished = false;
  const stop = (final: boolean) => {
    if (finished) return;
    finished = true;
    es.close();
    h.end?.(final);
  };
  es.addEventListener('snapshot', (e) => {
    const s = parse<{ execution: Execution; nodes: NodeRun[] }>(e);
    if (!s) return;
    h.snapshot?.(s);
    if (FINAL.has(s.execution.status)) stop(true);
  });
  es.addEventListener('node', (e) => {
    const r = parse<NodeRun>(e);
    if (r) h.node?.(r);
  });
  es.addEventListener('node.output', (e) => {
    const l = parse<OutputLine>(e);
    if (l) h.output?.(l);
  });
  es.addEventListener('execution', (e) => {
    const x = parse<Execution>(e);
    if (!x) return;
    h.execution?.(x);
    if (FINAL.has(x.status)) stop(true);
  });
  es.addEventListener('error', () => {
    // A closed stream after the final event is normal; anything else the caller may re-read.
    if (es.readyState === EventSource.CLOSED) stop(false);
  });
  return () => stop(false);
}

/** Every execution change (GET /automation/events), for dashboards; returns the stop function. */
export function followAll(onChange: (kind: 'node' | 'execution', data: NodeRun | Execution) => void, workflowId?: string): () => void {
  const es = new EventSource(`/automation/events${workflowId ? `?workflow_id=${encodeURIComponent(workflowId)}` : ''}`);
  es.addEventListener('node', (e) => {
    const r = parse<NodeRun>(e);
    if (r) onChange('node', r);
  });
  es.addEventListener('execution', (e) => {
    const x = parse<Execution>(e);
    if (x) onChange('execution', x);
  });
  return () => es.close();
}
