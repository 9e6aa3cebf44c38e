import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.js';
import { silentLogger, type Logger } from '../model/logger.js';

export type MemberRole = 'api' | 'worker' | 'standalone';

export interface MembershipOptions {
  readonly db: Kysely<Database>;
  readonly id: string;
  readonly role: MemberRole;
  /** graphile-worker's schema, for unlocking a dead member's jobs. */
  readonly queueSchema: string;
  /** graphile-worker pool ids this process locks jobs with (empty for API processes). */
  readonly queueWorkerIds: () => readonly string[];
  /** @default 2000 */
  readonly heartbeatMs?: number;
  /** A member silent this long is dead: its row goes and its locked jobs are unlocked. @default 10000 */
  readonly deadAfterMs?: number;
  /** Called when a heartbeat succeeds after failed ones: the database answers again after an outage. */
  readonly onReconnect?: () => void;
  /** @default silent */
  readonly logger?: Logger;
}

/**
 * Cluster membership and worker liveness. Each process writes a heartbeat every `heartbeatMs`; every
 * process also sweeps: a member whose heartbeat is older than `deadAfterMs` is deleted (DELETE ...
 * RETURNING, so exactly one sweeper handles it) and graphile-worker's `force_unlock_workers()`
 * releases the jobs it held, which another worker then runs. graphile-worker alone would keep them
 * locked for 4 hours. A member that was only slow and comes back finds its row gone and rejoins;
 * its late step results are refused by the engine's revision and token checks.
 */
export class Membership {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Heartbeats are failing: logged once when it starts and once when it ends, not per beat. */
  private failing = false;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;

  private constructor(private readonly opts: MembershipOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 2000;
    this.deadAfterMs = opts.deadAfterMs ?? 10_000;
  }

  static async join(opts: MembershipOptions): Promise<Membership> {
    const m = new Membership(opts);
    await m.beat();
    m.schedule();
    return m;
  }

  /** Live members by role (a standalone server refuses to share the database; see cluster-node.ts). */
  static async live(db: Kysely<Database>, deadAfterMs = 10_000): Promise<Array<{ id: string; role: string; host: string; pid: number }>> {
    return db.selectFrom('cluster_members').select(['id', 'role', 'host', 'pid']).where('heartbeat_at', '>', Date.now() - deadAfterMs).execute();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beat()
        .then(() => {
          if (this.failing) {
            this.failing = false;
            (this.opts.logger ?? silentLogger).info('heartbeats recorded again');
            this.opts.onReconnect?.();
          }
          return this.sweep();
        })
        .catch((err: unknown) => {
          if (this.failing) return;
          this.failing = true;
          (this.opts.logger ?? silentLogger).warn({ err, retry_ms: this.heartbeatMs }, 'heartbeat failed; retrying');
        })
        .finally(() => this.schedule());
    }, this.heartbeatMs);
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const ids = JSON.stringify(this.opts.queueWorkerIds());
    await this.opts.db
      .insertInto('cluster_members')
      .values({ id: this.opts.id, role: this.opts.role, host: hostname(), pid: process.pid, started_at: now, heartbeat_at: now, queue_worker_ids: ids })
      .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now, queue_worker_ids: ids }))
      .execute();
  }

  /** Removes dead members and unlocks their jobs; returns how many were found dead. */
  async sweep(): Promise<number> {
    const dead = await this.opts.db
      .deleteFrom('cluster_members')
      .where('heartbeat_at', '<', Date.now() - this.deadAfterMs)
      .returning(['id', 'queue_worker_ids'])
      .execute();
    const workerIds = dead.flatMap((d) => JSON.parse(d.queue_worker_ids) as string[]);
    if (workerIds.length > 0) {
      await sql`SELECT ${sql.id(this.opts.queueSchema)}.force_unlock_workers(${workerIds}::text[])`.execute(this.opts.db);
      (this.opts.logger ?? silentLogger).warn({ members: dead.map((d) => d.id) }, 'members stopped answering; their jobs were unlocked for other workers');
    }
    return dead.length;
  }

  /** Leaves the cluster at a clean stop. */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // Jobs still locked to this process (claimed steps cut short by the stop) go back to the queue now.
    const own = [...this.opts.queueWorkerIds()];
    if (own.length > 0) await sql`SELECT ${sql.id(this.opts.queueSchema)}.force_unlock_workers(${own}::text[])`.execute(this.opts.db);
    await this.opts.db.deleteFrom('cluster_members').where('id', '=', this.opts.id).execute();
  }
}
