import type { Fired, IngressResponse } from './trigger-source.js';

/** What a multi-target ingress answer lists for one trigger it fired. */
export function firedIds(fired: Fired): { execution_id: string | null; duplicate: boolean; debounced_until?: string } {
  if (fired.execution) return { execution_id: fired.execution.id, duplicate: fired.duplicate };
  return { execution_id: null, duplicate: false, ...(fired.debounced ? { debounced_until: new Date(fired.debounced.until).toISOString() } : {}) };
}

/**
 * The answer to a request whose event started nothing yet: held by the trigger's debounce (the
 * burst's last event starts one execution when it goes quiet), 202 with when that is.
 */
export function heldResponse(fired: Fired): IngressResponse {
  if (fired.debounced) return { status: 202, body: { status: 'debounced', debounce_until: new Date(fired.debounced.until).toISOString() } };
  return { status: 202, body: { status: 'dropped' } };
}
