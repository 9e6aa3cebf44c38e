import { NonRetryableError } from '../../model/errors.js';

/** Where emit_event sends internal events: the trigger manager, passed by app.ts in the action context (ActionServices.events). */
export interface EventEmitterPort {
  emitEvent(name: string, data: unknown, key: string | null): Promise<ReadonlyArray<{ trigger_id: string; workflow_id: string; execution_id: string; duplicate: boolean }>>;
}

/** For contexts without triggers (a one-shot CLI run, tests): emit_event fails clearly. */
export const NO_EVENTS: EventEmitterPort = {
  emitEvent: () => Promise.reject(new NonRetryableError('events_unavailable', 'internal events are not configured in this process')),
};
