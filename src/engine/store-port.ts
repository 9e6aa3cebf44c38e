import type { ErrorRecord } from '../model/errors.js';
import type { WorkflowDefinition } from '../model/types.js';
import type { ExecutionMode, ExecutionStatus, NodeStatus } from './statuses.js';

/** Times are epoch milliseconds everywhere in the port. */
export type EpochMs = number;

export interface VersionRecord {
  readonly id: string;
  readonly workflow_id: string;
  /** 1, 2, 3... per workflow. */
  readonly version: number;
  readonly definition: WorkflowDefinition;
  readonly created_at: EpochMs;
}

export interface ExecutionRecord {
  readonly id: string;
  readonly workflow_id: string;
  readonly version_id: string;
  readonly version: number;
  readonly status: ExecutionStatus;
  readonly mode: ExecutionMode;
  readonly trigger_type: string | null;
  readonly input_data: unknown;
  /** Workflow variables after execution overrides ($vars). */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly output: unknown;
  readonly error: ErrorRecord | null;
  readonly idempotency_key: string | null;
  /** Whole-execution timeout, from settings.timeout_seconds. */
  readonly deadline_at: EpochMs | null;
  readonly created_at: EpochMs;
  readonly started_at: EpochMs | null;
  readonly finished_at: EpochMs | null;
  readonly duration_ms: number | null;
  /** Where it starts (the trigger node that fired...); null means the graph's manual entries. */
  readonly entry_node_ids: readonly string[] | null;
  /** Started by a `run_workflow` step: the parent execution, its node and the run waiting for this one. */
  readonly parent_execution_id: string | null;
  readonly parent_node_id: string | null;
  readonly parent_run_id: string | null;
  /** 0 at the top; a child is its parent's depth + 1 (ITW_MAX_WORKFLOW_DEPTH). */
  readonly depth: number;
  /** The execution this one retries (POST /executions/{id}/retry). */
  readonly retry_of: string | null;
  /** settings.concurrency.key's value, evaluated at start; null without a concurrency setting. */
  readonly concurrency_key?: string | null;
}

/** One attempt of one node in one scope ('' at the top, `loop[3]` or `loop[3]/inner[0]` inside loops). */
export interface NodeRunRecord {
  readonly id: string;
  readonly execution_id: string;
  readonly node_id: string;
  readonly scope: string;
  readonly attempt: number;
  readonly status: NodeStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: ErrorRecord | null;
  /** Ids of the outgoing edges this run fired; the rest of its outgoing edges are dead. */
  readonly fired_edges: readonly string[] | null;
  /** Durable wake-up: end of a delay or of a retry backoff. */
  readonly wake_at: EpochMs | null;
  readonly started_at: EpochMs | null;
  readonly finished_at: EpochMs | null;
  readonly duration_ms: number | null;
  readonly lease_owner: string | null;
  readonly lease_expires_at: EpochMs | null;
  /** Fencing token, bumped at every dispatch: a completion carrying an older token changes nothing. */
  readonly lease_token: number;
  /** Engine-private progress needed to resume after a crash (a running loop's items and concurrency). */
  readonly state: unknown;
}

export interface LogRecord {
  readonly execution_id: string;
  readonly node_id: string | null;
  readonly scope: string;
  readonly attempt: number;
  readonly level: string;
  readonly message: string;
  readonly data: unknown;
  readonly ts: EpochMs;
}

export type ExecutionPatch = Partial<Omit<ExecutionRecord, 'id' | 'workflow_id' | 'version_id' | 'version' | 'created_at'>>;
export type NodeRunPatch = Partial<Omit<NodeRunRecord, 'id' | 'execution_id' | 'node_id' | 'scope' | 'attempt'>>;

export interface RunUpdate {
  readonly id: string;
  /** When set, the update (and the whole transition) applies only if the row still has this token. */
  readonly expectToken?: number;
  readonly set: NodeRunPatch;
}

/**
 * Durable work a transition makes due (cluster mode: a graphile-worker job), written in the same
 * transaction as the state change, so it exists exactly when that change does.
 */
export interface JobSpec {
  /** Task identifier the workers run (src/cluster/tasks.ts). */
  readonly task: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Not before this time; default: at once. */
  readonly runAt?: EpochMs;
  /** Dedup key: adding a job with the key of a pending one replaces it. */
  readonly key?: string;
  /**
   * Lock it at once for this queue worker id: the committing worker runs the step itself (no queue
   * round trip) and completes the job in the transaction that records the step's result. If that
   * worker dies, unlocking its id hands the job to another.
   */
  readonly claimBy?: string;
}

/** A message for other processes, sent when (and only if) the transaction commits (pg_notify). */
export interface Notice {
  readonly channel: string;
  readonly payload: string;
}

/**
 * Everything one step of one execution changes, committed atomically: a node's result, its status
 * and the successors it made ready (ARCHITECTURE.md §4).
 */
export interface Transition {
  readonly executionId: string;
  readonly insertExecution?: ExecutionRecord;
  readonly updateExecution?: ExecutionPatch;
  readonly insertRuns: readonly NodeRunRecord[];
  readonly updateRuns: readonly RunUpdate[];
  readonly logs: readonly LogRecord[];
  /**
   * Optimistic concurrency (cluster mode): the transition applies only if the execution's revision is
   * still this one, and bumps it. A refusal means another process moved the execution on. It stands
   * for the lease-token checks of the transition's run updates: in cluster mode tokens change only
   * in revision-bumping commits.
   */
  readonly expectRevision?: number;
  /** Jobs to add in the same transaction (PostgreSQL with a job queue only). */
  readonly jobs?: readonly JobSpec[];
  /** Keys of pending jobs this transition makes moot (a cancelled execution's wake-ups). */
  readonly removeJobKeys?: readonly string[];
  /** Claimed jobs (JobSpec.claimBy) whose work this transition records: they are done. */
  readonly completeJobs?: ReadonlyArray<{ readonly key: string; readonly claimedBy: string }>;
  readonly notices?: readonly Notice[];
}

export interface CommitResult {
  /** Executions whose transition was refused by a fencing check; nothing of theirs was written. */
  readonly rejected: ReadonlySet<string>;
}

export interface LoadedExecution {
  readonly execution: ExecutionRecord;
  readonly runs: readonly NodeRunRecord[];
  /** The execution row's revision when read (see Transition.expectRevision). */
  readonly revision: number;
}

/** The engine's view of storage. `store/` implements it for SQLite and PostgreSQL. */
export interface EngineStore {
  /** Applies the transitions in one database transaction (group commit). */
  commit(transitions: readonly Transition[]): Promise<CommitResult>;
  /**
   * How many commits may be in flight at once (default 1). Safe above 1 because an execution's ticks
   * are serialised (it never has two transitions in flight) and what a commit makes happen waits for it.
   */
  readonly commitLanes?: number;
  /**
   * True when commit() does its work synchronously on this thread (SQLite): its cost is CPU per
   * commit, so the group committer waits one more turn of the event loop to gather a larger batch.
   */
  readonly commitsOnThisThread?: boolean;
  getVersion(versionId: string): Promise<VersionRecord | undefined>;
  loadExecution(executionId: string): Promise<LoadedExecution | undefined>;
  /** The execution row alone (no runs). */
  getExecution(executionId: string): Promise<ExecutionRecord | undefined>;
  /** Runs by id, in id order (unknown ids are left out). */
  getRuns(runIds: readonly string[]): Promise<NodeRunRecord[]>;
  /** Ids of executions not in a final status, oldest first. */
  listUnfinishedExecutionIds(): Promise<string[]>;
  findExecutionByIdempotencyKey(workflowId: string, key: string): Promise<ExecutionRecord | undefined>;
  /** Ends the leases `owner` holds on running steps at once, so another owner may take them now. */
  releaseLeases(owner: string): Promise<void>;
  /** Extends the leases of runs still held by `owner`. */
  renewLeases(owner: string, runIds: readonly string[], expiresAt: EpochMs): Promise<void>;
  listLogs(executionId: string): Promise<LogRecord[]>;
  /** Executions of a workflow holding a concurrency slot: running, waiting or paused. */
  countActiveExecutions(workflowId: string): Promise<number>;
  /** The oldest execution of a workflow queued (status pending) behind max_concurrent_executions. */
  nextQueuedExecutionId(workflowId: string): Promise<string | undefined>;
  /**
   * Gives the pending execution one of the `limit` slots of its concurrency key, if one is free;
   * true when it holds one afterwards (now or already). The database enforces the limit across processes.
   */
  claimConcurrencySlot(executionId: string, limit: number): Promise<boolean>;
  /** The oldest pending executions of one concurrency key, in queue order, with whether each holds a slot. */
  queuedForKey(workflowId: string, key: string, max: number): Promise<Array<{ id: string; hasSlot: boolean }>>;
  /** Every (workflow, key) with executions pending behind a concurrency key. */
  keysWithQueued(): Promise<Array<{ workflowId: string; key: string }>>;
}
