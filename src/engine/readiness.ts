import type { CompiledEdge } from './compiled-graph.js';
import type { ExecutionState } from './execution-state.js';
import { splitScope } from './scope.js';
import { isFinalNodeStatus } from './statuses.js';

export type EdgeState = 'fired' | 'dead' | 'pending';

/** An edge into a node of `scope`: fired, dead, or not yet known (ARCHITECTURE.md §3). */
export function edgeState(state: ExecutionState, scope: string, e: CompiledEdge): EdgeState {
  const iteration = splitScope(scope);
  // Inside an iteration, the owning loop's body edges have fired by definition.
  if (iteration && e.source === iteration.loopId && e.handle === 'body') return 'fired';
  const r = state.run(scope, e.source);
  if (!r || !isFinalNodeStatus(r.status)) return 'pending';
  return r.fired_edges?.includes(e.id) ? 'fired' : 'dead';
}

/** What a fired edge carries: a node's output, the error of a caught failure, or the loop item. */
export function edgeValue(state: ExecutionState, scope: string, e: CompiledEdge): unknown {
  const iteration = splitScope(scope);
  if (iteration && e.source === iteration.loopId && e.handle === 'body') {
    return state.loops.get(loopKey(iteration.parent, iteration.loopId))?.items[iteration.index];
  }
  const r = state.run(scope, e.source);
  if (!r) return undefined;
  return r.status === 'failed' ? r.error : r.output;
}

export function loopKey(scope: string, loopId: string): string {
  return `${scope}\u0000${loopId}`;
}

export interface Readiness {
  readonly status: 'ready' | 'dead' | 'waiting';
  /** `$input`: the single predecessor's value, or at a join an object keyed by predecessor id. */
  readonly input?: unknown;
  /** The error of a failed predecessor whose `error` edge fired into this node. */
  readonly error?: unknown;
}

export function readiness(state: ExecutionState, scope: string, incoming: readonly CompiledEdge[]): Readiness {
  let fired = 0;
  for (const e of incoming) {
    const s = edgeState(state, scope, e);
    if (s === 'pending') return { status: 'waiting' };
    if (s === 'fired') fired++;
  }
  if (fired === 0) return { status: 'dead' };
  let error: unknown;
  const firedEdges = incoming.filter((e) => edgeState(state, scope, e) === 'fired');
  for (const e of firedEdges) if (state.run(scope, e.source)?.status === 'failed') error = state.run(scope, e.source)?.error;
  if (incoming.length === 1) return { status: 'ready', input: edgeValue(state, scope, firedEdges[0]!), error };
  const joined: Record<string, unknown> = {};
  for (const e of firedEdges) joined[e.source] = edgeValue(state, scope, e);
  return { status: 'ready', input: joined, error };
}
