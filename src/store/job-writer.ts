import type pg from 'pg';
import type { JobSpec } from '../engine/store-port.js';

/** The job side of a batch of accepted transitions (Transition.jobs, removeJobKeys, completeJobs). */
export interface JobChanges {
  readonly jobs: readonly JobSpec[];
  readonly removeJobKeys: readonly string[];
  readonly completeJobs: ReadonlyArray<{ readonly key: string; readonly claimedBy: string }>;
}

/**
 * Writes jobs inside the PostgreSQL store's commit transaction, on its client, so a job exists if
 * and only if the state change that made it due committed. The queue implements it
 * (src/queue/graphile-jobs.ts); the store knows no queue's tables.
 */
export interface JobWriter {
  write(client: pg.PoolClient, changes: JobChanges): Promise<void>;
}
