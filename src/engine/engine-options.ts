import type { CredentialResolver } from '../model/credentials.js';
import type { Logger } from '../model/logger.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import type { FinalOutcome } from './announcer.js';
import type { Clock } from './clock.js';
import type { Dispatcher } from './dispatcher.js';
import type { NodeRegistry } from './node-handler.js';
import type { Redactor } from './redactor.js';
import type { LiveOutputLimits } from './live-output.js';
import type { StoreHealth } from './stale-images.js';
import type { ExecutionMode } from './statuses.js';
import type { EngineStore, NodeRunRecord, VersionRecord } from './store-port.js';

export interface EngineOptions {
  readonly store: EngineStore;
  readonly registry: NodeRegistry;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Lease owner identity. @default `engine_<random>` */
  readonly owner?: string;
  /** How long a dispatched step's lease lasts before another owner may take it. @default 60000 */
  readonly leaseMs?: number;
  /** Handlers running at once in this process. @default 256 */
  readonly maxConcurrentSteps?: number;
  /**
   * Re-dispatch running steps of other owners at start without waiting for their leases to expire.
   * True only when this process is the sole engine on the store (embedded SQLite). @default false
   */
  readonly takeOverLeases?: boolean;
  /** Where steps resolve credential ids. @default none: every lookup fails with not_found */
  readonly credentials?: CredentialResolver;
  /** Largest node output stored, in bytes of JSON; bigger ones fail the node. @default 1048576 */
  readonly maxOutputBytes?: number;
  /** Seals secret variables' overrides and opens their references for steps. @default none: they stay in memory, redacted when stored */
  readonly secrets?: SecretKeeper;
  /** Secrets to keep out of everything stored and emitted (the vault fills it). @default empty */
  readonly redactor?: Redactor;
  /**
   * Where the work a commit makes due goes (dispatcher.ts): this process's step runner and wake-up
   * heap, or, in cluster mode (PostgreSQL, several processes; src/cluster), graphile-worker jobs
   * written in the commit, revision-checked commits and notices to other processes (a
   * ClusterDispatcher). @default a LocalDispatcher
   */
  readonly dispatcher?: Dispatcher;
  /**
   * Told about store errors; a database-wide fault is logged there once, and it calls
   * `Engine.reloadStale()` when the database is back. @default none: failed executions are reloaded
   * after a backoff on the clock
   */
  readonly storeHealth?: StoreHealth;
  /** How often queues behind concurrency keys are checked for a freed slot nobody handed on (a killed process). 0 turns it off. @default 15000 */
  readonly concurrencySweepMs?: number;
  /** Bounds on what one step streams live (node.output events). @default 256 KiB per step, 4096-character lines */
  readonly liveOutput?: LiveOutputLimits;
  /** The server's log: engine faults, and every step log line (also stored) with execution_id / node_id. @default silent */
  readonly logger?: Logger;
}

export interface StartRequest {
  readonly version: VersionRecord;
  readonly input?: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
  /** @default 'manual' */
  readonly mode?: ExecutionMode;
  readonly triggerType?: string | null;
  readonly idempotencyKey?: string | null;
  /** Entry nodes; default: the graph's manual entries. */
  readonly entryNodeIds?: readonly string[];
  /**
   * Called once the new execution is final, with what the image that finished it holds (a caller
   * answering with its result reads nothing back). Not called when the start fails.
   */
  readonly onFinal?: (outcome: FinalOutcome) => void;
  /** A `run_workflow` step's child: who waits for it, and how deep it is nested. */
  readonly parent?: ParentLink;
  /** A retry: the execution retried, and the runs it keeps (retry.ts). */
  readonly retry?: RetryPlan;
}

export interface ParentLink {
  readonly executionId: string;
  readonly nodeId: string;
  /** The run waiting for the child; null when the step does not wait. */
  readonly runId: string | null;
  /** The child's depth: the parent's + 1. */
  readonly depth: number;
}

export interface RetryPlan {
  readonly of: string;
  /** Finished top-level runs of the retried execution kept as they are (recorded as reused). */
  readonly reuse: readonly NodeRunRecord[];
  /** Nodes that run again (the restart point and what follows it). */
  readonly rerun: readonly string[];
}
