import type { Clock } from './clock.js';
import type { ExecutionState } from './execution-state.js';
import type { Live, MailEvent, Waiter } from './mailbox.js';
import type { StepDispatcher } from './step-dispatcher.js';
import type { EngineStore, ExecutionRecord, NodeRunRecord, Transition } from './store-port.js';

/** What a tick made due, to be acted on once its transition is committed. */
export interface TickEffects {
  readonly dispatch: readonly NodeRunRecord[];
  readonly wake: ReadonlyArray<{ runId: string; at: number }>;
  readonly abort: readonly string[];
}

/** One tick as the engine hands it to its dispatcher, before and after the commit. */
export interface Tick {
  readonly state: ExecutionState;
  /** The tick's own (redacted) transition. */
  readonly transition: Transition;
  readonly effects: TickEffects;
  /** Runs changed, in order. */
  readonly order: readonly string[];
  readonly previousStatus: ExecutionRecord['status'];
  /** Runs whose step results this tick applied. */
  readonly resultRunIds: readonly string[];
}

/** What an engine gives its dispatcher: its images, its mailboxes and its step runner. */
export interface DispatchHost {
  readonly owner: string;
  readonly clock: Clock;
  readonly store: EngineStore;
  readonly steps: StepDispatcher;
  /** The engine's execution images by id (in a cluster, a cache). */
  readonly live: Map<string, Live>;
  draining(): boolean;
  post(executionId: string, ev: MailEvent): void;
  enqueue(live: Live, ev: MailEvent): void;
  getLive(executionId: string): Promise<Live | undefined>;
  /** A commit notice from another process (announcer.ts). */
  notice(payload: string): void;
}

/**
 * Where the work a commit makes due goes: the engine's ticks and state machine are the same in both
 * modes, the dispatcher decides what a commit carries and what happens after it.
 * - local-dispatcher.ts: one process owns the store; steps run here, waits sit in a wake-up heap.
 * - cluster-dispatcher.ts: many processes on PostgreSQL; steps, wake-ups and deadlines are
 *   graphile-worker jobs written in the commit (src/queue/), commits are revision-checked.
 */
export interface Dispatcher {
  /** Called once by the engine that owns this dispatcher. */
  attach(host: DispatchHost): void;
  /** Engine start: pick up the work the store holds. */
  start(): Promise<void>;
  /**
   * True when no other process writes this store, so an idle cached image is the committed truth
   * and can answer without a read.
   */
  readonly soleWriter: boolean;
  /** The transition to commit for a tick (the tick's own, or with what the dispatcher adds). */
  prepare(tick: Tick): Transition;
  /** A commit was refused; true to apply the same events again to the reloaded image. */
  retryRefused(refusals: number): boolean;
  /** The tick's transition `tx` committed: dispatch, arm, claim. */
  committed(tick: Tick, tx: Transition): void;
  /** The execution reached a final status in a committed tick. */
  finished(executionId: string): void;
  /** Looks at the deadline again at `at` (a deadline that came early, or recovery). */
  armDeadline(executionId: string, at: number): void;
  /** Who waits for a step's result to commit (a cluster step job). */
  resultWaiter(runId: string): Waiter | undefined;
  /** After an idle tick of an unfinished execution: drop or keep its image. */
  evict(live: Live): void;
  /** After an outage, reload this execution (undefined: the queue will run its work again). */
  reload(executionId: string): void;
  /** Stopping: no new wake-ups. */
  hold(): void;
  /** Stopped: whoever still waits for a result learns it will not come. */
  close(): void;
}
