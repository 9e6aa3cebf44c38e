import type { ErrorRecord } from '../model/errors.js';
import type { ExecutionState } from './execution-state.js';
import type { StepLog } from './step-context.js';
import type { StepResult } from './step-dispatcher.js';

/** Settles a caller once the tick that applied its event has committed. */
export interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** What can happen to an execution: applied in order, one tick at a time (engine.ts). */
export type MailEvent = (
  | { kind: 'result'; runId: string; token: number; result: StepResult; logs: StepLog[] }
  | { kind: 'wake'; runId: string }
  | { kind: 'deadline' }
  | { kind: 'cancel' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'begin' }
  | { kind: 'signal'; runId: string; handle: string; output: unknown; error?: ErrorRecord }
  | { kind: 'recover' }
  | { kind: 'started' }
  /** Replace the image with the store's (cluster mode: another process may have moved it on). */
  | { kind: 'refresh' }
) & {
  /** Settled once the tick that applied this event has committed (rejected if it failed). */
  done?: Waiter;
};

/** An execution's in-memory image with its mailbox. */
export interface Live {
  state: ExecutionState;
  mailbox: MailEvent[];
  busy: boolean;
}
