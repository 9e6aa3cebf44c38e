import type pgLib from 'pg';
import { ABORT_CHANNEL, EVENTS_CHANNEL } from '../engine/cluster-work.js';
import type { ClusterDispatcher } from '../engine/cluster-dispatcher.js';
import { ItwError } from '../model/errors.js';
import type { Store } from '../store/connect.js';
import { GraphileJobWriter } from '../queue/graphile-jobs.js';
import type { JobQueue } from '../queue/job-queue.js';
import { Membership, type MemberRole } from './membership.js';
import type { NoticeListener } from './notice-listener.js';
import { linesOf, OUTPUT_CHANNEL, OutputRelay } from './output-relay.js';
import type { OutputLine } from '../engine/live-output.js';
import { silentLogger, type Logger } from '../model/logger.js';

/**
 * What a process is (docs/DEPLOYMENT.md):
 * - `standalone`: API, triggers and engine in one process (`itw serve`), on SQLite or PostgreSQL;
 * - `api`: API and trigger ingress (`itw serve --no-worker`); records starts and control events;
 * - `worker`: runs steps, wake-ups and deadlines from the job queue (`itw worker`), no HTTP.
 */
export type ProcessRole = MemberRole;

export interface ClusterSettings {
  readonly queueSchema: string;
  readonly concurrency: number;
  readonly heartbeatMs: number;
  readonly deadAfterMs: number;
  /** @default silent */
  readonly logger?: Logger;
  /**
   * Live output across the cluster: workers relay their steps' lines, API processes take them in
   * (output-relay.ts). @default none
   */
  readonly output?: {
    onOutput(listener: (line: OutputLine) => void): () => void;
    /** A step's output ended, before its result commits: the relay sends its lines ahead of that commit's notice. */
    onOutputEnd(listener: () => void): () => void;
    ingestOutput(line: OutputLine): void;
  };
}

/** Secrets every process of a cluster must hold the same value of. */
export interface SharedKeys {
  readonly encryptionKey: string | undefined;
  readonly approvalLinkSecret: string | undefined;
}

export interface ClusterNode {
  /** Stops taking jobs; resolves when the jobs in flight have ended (stop the engine meanwhile). */
  drain(): Promise<void>;
  /** Stops listening and leaves the membership table. */
  leave(): Promise<void>;
}

/**
 * Checks a process may take `role` on this store, before anything starts. SQLite is one process by
 * construction; on PostgreSQL a standalone server and cluster processes must not share a database
 * (the standalone engine would re-run work the workers hold). Cluster roles get the job queue's
 * tables and let the engine store write jobs.
 */
export async function prepareCluster(store: Store, role: ProcessRole, settings: ClusterSettings, keys: SharedKeys): Promise<void> {
  if (role !== 'standalone' && !store.postgres) {
    throw new ItwError(
      'config_invalid',
      `${role === 'worker' ? '`itw worker`' : '`itw serve --no-worker`'} needs PostgreSQL (set ITW_DATABASE_URL=postgres://...): ` +
        'with SQLite the API and the engine run in one process; use `itw serve`.',
    );
  }
  if (!store.postgres) return;
  const others = await Membership.live(store.db, settings.deadAfterMs);
  const clash = role === 'standalone' ? others.filter((m) => m.role !== 'standalone') : others.filter((m) => m.role === 'standalone');
  if (clash.length > 0) {
    const who = clash.map((m) => `${m.role} ${m.host}:${m.pid}`).join(', ');
    throw new ItwError(
      'config_invalid',
      role === 'standalone'
        ? `cluster processes are running on this database (${who}): start \`itw serve --no-worker\` and \`itw worker\`, not \`itw serve\``
        : `a standalone \`itw serve\` is running on this database (${who}): stop it before starting cluster processes`,
    );
  }
  if (role === 'standalone') return;
  // Each process would otherwise make its own key file: credentials and approval links would work
  // only on the process that created them.
  const missing = [keys.encryptionKey ? '' : 'ITW_ENCRYPTION_KEY', keys.approvalLinkSecret ? '' : 'ITW_APPROVAL_LINK_SECRET'].filter(Boolean);
  if (missing.length > 0) {
    throw new ItwError('config_invalid', `cluster processes must share ${missing.join(' and ')}: set the same value${missing.length > 1 ? 's' : ''} in every API and worker process (docs/DEPLOYMENT.md)`);
  }
  // graphile-worker (with pg) is loaded only by cluster processes: a standalone instance never runs
  // the job queue (issue 14, idle RSS).
  const { migrateJobQueue } = await import('../queue/job-queue.js');
  await migrateJobQueue(store.postgres.pool, settings.queueSchema);
  store.postgres.engine.attachJobQueue(new GraphileJobWriter(settings.queueSchema));
}

/**
 * Starts the cluster side of a process: membership heartbeats (and the dead-member sweep), the notice
 * listener that turns other processes' commits into this one's events, and for workers the job queue.
 * `owner` is the engine's identity; `dispatcher` the engine's, required for the cluster roles.
 */
export async function startClusterNode(
  store: Store, role: ProcessRole, owner: string, dispatcher: ClusterDispatcher | undefined, settings: ClusterSettings,
): Promise<ClusterNode> {
  const log = settings.logger ?? silentLogger;
  const pg = store.postgres;
  if (!pg) return { drain: () => Promise.resolve(), leave: () => Promise.resolve() };
  let listener: NoticeListener | undefined;
  let queue: JobQueue | undefined;
  if (role !== 'standalone') {
    if (!dispatcher) throw new Error(`a ${role} process needs an engine with a cluster dispatcher`);
    const cluster = dispatcher;
    const output = role === 'api' ? settings.output : undefined;
    const { NoticeListener } = await import('./notice-listener.js');
    listener = await NoticeListener.start(pg.connectionString, [EVENTS_CHANNEL, ABORT_CHANNEL, ...(output ? [OUTPUT_CHANNEL] : [])], (channel, payload) => {
      if (channel === ABORT_CHANNEL) for (const runId of payload.split(',')) cluster.abortStep(runId);
      else if (channel === OUTPUT_CHANNEL) for (const line of linesOf(payload, owner)) output?.ingestOutput(line);
      else cluster.ingestNotice(payload);
    }, log);
  }
  const relay = role === 'worker' && settings.output ? new OutputRelay(store.db as never, owner, log) : undefined;
  const offLines = relay ? settings.output?.onOutput((line) => relay.push(line)) : undefined;
  const offEnds = relay ? settings.output?.onOutputEnd(() => void relay.flush()) : undefined;
  const offOutput = () => {
    offLines?.();
    offEnds?.();
  };
  let queuePool: pgLib.Pool | undefined;
  if (role === 'worker' && dispatcher) {
    const cluster = dispatcher;
    // Its own pool: the store's returns JSON as text (connect.ts), graphile-worker expects parsed payloads.
    // Jobs run on the store's pool; graphile-worker needs connections only to fetch and complete
    // jobs (batched) and one to LISTEN, so a few suffice whatever the concurrency.
    const [{ default: pgLib }, { JobQueue }] = await Promise.all([import('pg'), import('../queue/job-queue.js')]);
    queuePool = new pgLib.Pool({ connectionString: pg.connectionString, max: 8 });
    queuePool.on('error', () => undefined);
    queuePool.on('connect', (client) => client.on('error', () => undefined));
    queue = await JobQueue.start(cluster, {
      pool: queuePool, schema: settings.queueSchema, concurrency: settings.concurrency, logger: log,
      onFatal: (err) => {
        log.error({ err }, 'the job queue stopped; stopping this worker so its supervisor restarts it');
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
      // Steps this worker makes due are claimed with its current pool's id (a new one after a restart of the queue).
      onPool: (lockId) => cluster.claimStepsAs(lockId, settings.concurrency),
    });
  }
  const membership = await Membership.join({
    db: store.db, id: owner, role, queueSchema: settings.queueSchema, queueWorkerIds: () => queue?.workerIds ?? [],
    heartbeatMs: settings.heartbeatMs, deadAfterMs: settings.deadAfterMs,
    // Back from an outage: jobs a lost fetch locked to this worker's pool are unlocked with it.
    onReconnect: () => void queue?.recycle(),
    logger: log,
  });
  return {
    drain: () => queue?.stop() ?? Promise.resolve(),
    async leave() {
      offOutput();
      await relay?.flush();
      await queuePool?.end();
      await listener?.stop();
      await membership.leave().catch((err: unknown) => log.warn({ err }, 'could not leave cleanly; the sweep will'));
    },
  };
}
