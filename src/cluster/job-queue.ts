import { EventEmitter } from 'node:events';
import { Logger, run, runMigrations, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import { TASK_DEADLINE, TASK_STEP, TASK_WAKE, type DeadlineJob, type StepJob, type WakeJob } from '../engine/cluster-work.js';

/** What the queue's tasks call: the engine's cluster entry points. */
export interface JobHandlers {
  runStepJob(job: StepJob): Promise<void>;
  runWakeJob(job: WakeJob): Promise<void>;
  runDeadlineJob(job: DeadlineJob): Promise<void>;
}

export interface JobQueueOptions {
  readonly pool: pg.Pool;
  /** graphile-worker's schema. @default 'graphile_worker' */
  readonly schema: string;
  /** Jobs (steps) run at once by this process. */
  readonly concurrency: number;
  /** Fallback poll for jobs scheduled in the future; new jobs arrive by LISTEN at once. */
  readonly pollIntervalMs?: number;
  /** graphile-worker stopped by itself (lost its database for good...): this process must not go on as a worker. */
  readonly onFatal: (err: unknown) => void;
}

/** Creates (or upgrades) graphile-worker's tables; safe to run from several processes at once. */
export async function migrateJobQueue(pool: pg.Pool, schema: string): Promise<void> {
  await runMigrations({ pgPool: pool, schema, logger: quietLogger() });
}

/**
 * The cluster's job queue (graphile-worker 0.17): steps, wake-ups and deadlines, added by engine
 * commits in the same transaction as the state change (store/engine-store-postgres.ts), run here.
 * Its worker-pool id is what graphile locks jobs with; membership.ts publishes it so a dead
 * process's jobs can be unlocked within seconds.
 */
export class JobQueue {
  private stopping = false;
  private ended = false;

  private constructor(
    private readonly runner: Runner,
    readonly workerIds: readonly string[],
  ) {}

  static async start(handlers: JobHandlers, opts: JobQueueOptions): Promise<JobQueue> {
    const taskList: TaskList = {
      [TASK_STEP]: (payload) => handlers.runStepJob(payload as StepJob),
      [TASK_WAKE]: (payload) => handlers.runWakeJob(payload as WakeJob),
      [TASK_DEADLINE]: (payload) => handlers.runDeadlineJob(payload as DeadlineJob),
    };
    const events: WorkerEvents = new EventEmitter();
    const workerIds: string[] = [];
    events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => workerIds.push(workerPool.id));
    events.on('job:error', ({ job, error }: { job: { task_identifier: string; id: string; attempts: number }; error: unknown }) => {
      console.error(`queue: job ${job.task_identifier} ${job.id} failed (attempt ${job.attempts}); it will be retried`, error);
    });
    const runner = await run({
      pgPool: opts.pool,
      schema: opts.schema,
      concurrency: opts.concurrency,
      taskList,
      events,
      noHandleSignals: true,
      // Wake-ups are stored as Node epoch ms; compare them with the same clock the engine uses.
      useNodeTime: true,
      pollInterval: opts.pollIntervalMs ?? 1000,
      logger: quietLogger(),
      // Fetch (and lock) jobs in batches and complete them in batches: fewer round trips per step.
      preset: { worker: { localQueue: { size: opts.concurrency }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    const queue = new JobQueue(runner, workerIds);
    // A runner that ends on its own would leave a process heartbeating but taking no jobs, so its
    // jobs would never be handed over: report it, so the process exits and its supervisor restarts it.
    const ended = (err?: unknown) => {
      queue.ended = true;
      if (!queue.stopping) opts.onFatal(err ?? new Error('graphile-worker stopped'));
    };
    runner.promise.then(() => ended(), ended);
    return queue;
  }

  /** Stops taking jobs; jobs in flight finish (the engine's own stop bounds them). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.ended) await this.runner.stop();
  }
}

/** graphile-worker logs every job at info; keep its warnings and errors only. */
function quietLogger(): Logger {
  return new Logger(() => (level, message) => {
    const name = String(level);
    // Its pool-size warning assumes tasks query through its pool; ours use the store's (cluster-node.ts).
    if (message.startsWith('having maxPoolSize')) return;
    if (name === 'error' || name === 'warning') console.error(`queue: ${message}`);
  });
}
