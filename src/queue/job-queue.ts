import { EventEmitter } from 'node:events';
import { Logger, run, runMigrations, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import { TASK_DEADLINE, TASK_STEP, TASK_WAKE, type DeadlineJob, type StepJob, type WakeJob } from '../engine/cluster-work.js';
import { silentLogger, type Logger as ItwLogger } from '../model/logger.js';

/** What the queue's tasks call: the engine's ClusterDispatcher (engine/cluster-dispatcher.ts). */
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
  /** graphile-worker could not be started again although the database answers: this process must not go on as a worker. */
  readonly onFatal: (err: unknown) => void;
  /** A (new) pool runs and locks jobs with this id. */
  readonly onPool?: (lockId: string) => void;
  /** @default silent */
  readonly logger?: ItwLogger;
}

/** Creates (or upgrades) graphile-worker's tables; safe to run from several processes at once. */
export async function migrateJobQueue(pool: pg.Pool, schema: string): Promise<void> {
  await runMigrations({ pgPool: pool, schema, logger: quietLogger() });
}

/**
 * The cluster's job queue (graphile-worker 0.17): steps, wake-ups and deadlines, added by engine
 * commits in the same transaction as the state change (graphile-jobs.ts), run here.
 * Its worker-pool id is what graphile locks jobs with; membership.ts publishes it so a dead
 * process's jobs can be unlocked within seconds.
 *
 * graphile-worker shuts its pool down when it cannot record a job's completion or failure (its
 * batch retry gives up at the first error), so a database restart stops the runner of every worker
 * that had a job finishing at that moment. The process is alive and its jobs are only locked to the
 * dead pool: once the database answers again this queue unlocks them and starts a new runner.
 */
export class JobQueue {
  private stopping = false;
  private runner: Runner | undefined;
  private poolIds: string[] = [];
  private retryMs = RESTART_MIN_MS;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly handlers: JobHandlers,
    private readonly opts: JobQueueOptions,
  ) {}

  static async start(handlers: JobHandlers, opts: JobQueueOptions): Promise<JobQueue> {
    guardLocalQueueRelease();
    const queue = new JobQueue(handlers, opts);
    await queue.launch();
    return queue;
  }

  private get log(): ItwLogger {
    return this.opts.logger ?? silentLogger;
  }

  /** The pool ids this process locks jobs with now (membership publishes them). */
  get workerIds(): readonly string[] {
    return this.poolIds;
  }

  private async launch(): Promise<void> {
    const { handlers, opts } = this;
    const taskList: TaskList = {
      [TASK_STEP]: (payload) => handlers.runStepJob(payload as StepJob),
      [TASK_WAKE]: (payload) => handlers.runWakeJob(payload as WakeJob),
      [TASK_DEADLINE]: (payload) => handlers.runDeadlineJob(payload as DeadlineJob),
    };
    const events: WorkerEvents = new EventEmitter();
    const poolIds: string[] = [];
    events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => poolIds.push(workerPool.id));
    events.on('job:error', ({ job, error }: { job: { task_identifier: string; id: string; attempts: number }; error: unknown }) => {
      this.log.warn({ err: error, job_id: job.id, task: job.task_identifier, attempt: job.attempts }, 'job failed; it will be retried');
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
      logger: quietLogger(this.log),
      // Fetch (and lock) jobs in batches and complete them in batches: fewer round trips per step.
      preset: { worker: { localQueue: { size: opts.concurrency }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    this.runner = runner;
    this.poolIds = poolIds;
    const lockId = poolIds[0];
    if (lockId !== undefined) opts.onPool?.(lockId);
    const ended = (err?: unknown) => {
      if (this.runner !== runner) return;
      this.runner = undefined;
      if (this.stopping) return;
      this.log.error({ err }, 'graphile-worker stopped; restarting it once the database answers');
      this.restart(poolIds);
    };
    runner.promise.then(() => ended(), ended);
  }

  /**
   * Once the database answers, runs a new pool, then unlocks the dead pool's jobs (including steps
   * the engine claimed with the dead pool's id meanwhile): graphile-worker runs them again.
   */
  private restart(deadPoolIds: readonly string[]): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopping) return;
      void this.relaunch(deadPoolIds);
    }, this.retryMs);
  }

  private async relaunch(deadPoolIds: readonly string[]): Promise<void> {
    if (!this.runner) {
      try {
        await this.opts.pool.query('SELECT 1');
      } catch {
        this.retryMs = Math.min(this.retryMs * 2, RESTART_MAX_MS);
        return this.restart(deadPoolIds);
      }
      try {
        await this.launch();
      } catch (err) {
        // The database answered but the queue would not start: a supervisor restart is the way out.
        return this.opts.onFatal(err);
      }
      if (this.stopping) return void this.stop();
    }
    try {
      await this.opts.pool.query(`SELECT ${pg.escapeIdentifier(this.opts.schema)}.force_unlock_workers($1::text[])`, [deadPoolIds]);
    } catch {
      return this.restart(deadPoolIds);
    }
    this.retryMs = RESTART_MIN_MS;
    this.log.info('graphile-worker running again; the stopped pool\'s jobs were unlocked');
  }

  /**
   * After an outage the runner lived through: a job fetch whose answer was lost with the connection
   * leaves jobs locked to this pool that nothing here runs (graphile-worker would keep them 4 hours).
   * The runner is stopped (jobs in flight finish), a new pool started and the old pool's jobs
   * unlocked, so every job is run again by someone. Called when heartbeats come back (cluster-node.ts).
   */
  async recycle(): Promise<void> {
    const runner = this.runner;
    if (!runner || this.stopping) return;
    const old = this.poolIds;
    this.runner = undefined; // its end is ours, not a failure to restart from
    await runner.stop().catch(() => undefined);
    await this.relaunch(old);
  }

  /** Stops taking jobs; jobs in flight finish (the engine's own stop bounds them). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const runner = this.runner;
    this.runner = undefined;
    if (runner) await runner.stop();
  }
}

/**
 * graphile-worker 0.17's local queue, released while the database is away, can fail to hand its
 * prefetched jobs back and leave that failure as an unhandled rejection, which would end the
 * process. Those jobs stay locked to the stopped pool and JobQueue unlocks them when it starts the
 * next one, so that one rejection is logged; any other still ends the process as Node would.
 * Process-wide on purpose (one handler however many queues run): it writes to stderr, not to an app's logger.
 */
let guarded = false;
function guardLocalQueueRelease(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    if (reason instanceof Error && reason.message.startsWith('Error occurred whilst returning jobs from local queue to database queue')) {
      console.error(`queue: ${reason.message}; the jobs are unlocked when the queue starts again`);
      return;
    }
    throw reason;
  });
}

const RESTART_MIN_MS = 250;
const RESTART_MAX_MS = 5000;

/** graphile-worker logs every job at info; keep its warnings and errors only. */
function quietLogger(log: ItwLogger = silentLogger): Logger {
  return new Logger(() => (level, message) => {
    const name = String(level);
    // Its pool-size warning assumes tasks query through its pool; ours use the store's (cluster-node.ts).
    if (message.startsWith('having maxPoolSize')) return;
    if (name === 'error') log.error(message);
    else if (name === 'warning') log.warn(message);
  });
}
