import type { TickEffects } from './dispatcher.js';
import type { ExecutionState } from './execution-state.js';
import { isFinalExecutionStatus } from './statuses.js';
import type { ExecutionRecord, JobSpec, NodeRunRecord, Notice, Transition } from './store-port.js';

/**
 * Cluster mode (many processes on one PostgreSQL): what a committed tick makes due is not kept in
 * this process's memory but written as graphile-worker jobs in the tick's own transaction, and what
 * other processes must hear is sent as pg_notify notices, delivered only if it commits.
 */
export const TASK_STEP = 'itw_step';
export const TASK_WAKE = 'itw_wake';
export const TASK_DEADLINE = 'itw_deadline';
export const EVENTS_CHANNEL = 'itw_events';
export const ABORT_CHANNEL = 'itw_abort';

/** Run one dispatched step: execution, run, fencing token. */
export interface StepJob { readonly e: string; readonly r: string; readonly t: number }
/** Wake a waiting run (delay, retry backoff, approval timeout). */
export interface WakeJob { readonly e: string; readonly r: string }
/** The execution's deadline (settings.timeout_seconds) has come. */
export interface DeadlineJob { readonly e: string }

/** What changed in one commit, for processes that did not make it (their SSE streams, waiters). */
export interface EventNotice {
  /** Execution id, workflow id, status now. */
  readonly e: string;
  readonly w: string;
  readonly s: ExecutionRecord['status'];
  /** Set when the execution row changed: the status before (null: created by this commit). */
  readonly p?: ExecutionRecord['status'] | null;
  /** Runs changed, in order; null when there were too many to list (reload them all). */
  readonly r: readonly string[] | null;
  /** Engine (process) that committed it. */
  readonly o: string;
}

const MAX_LISTED_RUNS = 100;

export const stepJobKey = (runId: string): string => `s:${runId}`;
export const wakeJobKey = (runId: string): string => `w:${runId}`;
export const deadlineJobKey = (executionId: string): string => `d:${executionId}`;

/** The jobs, job removals and notices that ride in a tick's transaction in cluster mode. */
export function clusterWork(
  state: ExecutionState, t: Transition, effects: TickEffects, order: readonly string[],
  previousStatus: ExecutionRecord['status'], owner: string, claimBy: (run: NodeRunRecord) => string | undefined,
): Pick<Transition, 'jobs' | 'removeJobKeys' | 'notices'> {
  const x = state.execution;
  const jobs: JobSpec[] = [];
  for (const run of effects.dispatch) {
    const claim = claimBy(run);
    jobs.push({ task: TASK_STEP, payload: { e: x.id, r: run.id, t: run.lease_token } satisfies StepJob, key: stepJobKey(run.id), ...(claim ? { claimBy: claim } : {}) });
  }
  for (const w of effects.wake) jobs.push({ task: TASK_WAKE, payload: { e: x.id, r: w.runId } satisfies WakeJob, runAt: w.at, key: wakeJobKey(w.runId) });
  if (t.insertExecution && x.deadline_at !== null && !isFinalExecutionStatus(x.status)) {
    jobs.push({ task: TASK_DEADLINE, payload: { e: x.id } satisfies DeadlineJob, runAt: x.deadline_at, key: deadlineJobKey(x.id) });
  }
  const removeJobKeys: string[] = [];
  if (isFinalExecutionStatus(x.status) && x.deadline_at !== null) removeJobKeys.push(deadlineJobKey(x.id));
  // A cancelled wait will never be woken: drop its pending wake-up rather than let it fire for nothing.
  for (const id of order) if (state.byId.get(id)?.status === 'cancelled') removeJobKeys.push(wakeJobKey(id));
  const notices: Notice[] = [];
  if (effects.abort.length > 0) notices.push({ channel: ABORT_CHANNEL, payload: effects.abort.join(',') });
  const changed = t.insertExecution !== undefined || t.updateExecution !== undefined;
  const notice: EventNotice = {
    e: x.id, w: x.workflow_id, s: x.status, r: order.length > MAX_LISTED_RUNS ? null : order, o: owner,
    ...(changed ? { p: t.insertExecution ? null : previousStatus } : {}),
  };
  notices.push({ channel: EVENTS_CHANNEL, payload: JSON.stringify(notice) });
  return { jobs, removeJobKeys, notices };
}
