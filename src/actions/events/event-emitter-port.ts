import { NonRetryableError } from '../../model/errors.js';

/** Where emit_event sends internal events: the trigger manager, wired by app.ts with setEventEmitter(). */
export interface EventEmitterPort {
  emitEvent(name: string, data: unknown, key: string | null): Promise<ReadonlyArray<{ trigger_id: string; workflow_id: string; execution_id: string; duplicate: boolean }>>;
}

const unconfigured: EventEmitterPort = {
  emitEvent: () => Promise.reject(new NonRetryableError('events_unavailable', 'internal events are not configured in this process')),
};

let current: EventEmitterPort = unconfigured;

export function setEventEmitter(port: EventEmitterPort | undefined): void {
  current = port ?? unconfigured;
}

export function eventEmitter(): EventEmitterPort {
  return current;
}
