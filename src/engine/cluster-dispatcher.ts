import { ItwError } from '../model/errors.js';
import { ChurnMap } from './churn-map.js';
import { clusterWork, type DeadlineJob, type StepJob, type WakeJob } from './cluster-work.js';
import type { Dispatcher, DispatchHost, Tick } from './dispatcher.js';
import type { Live, MailEvent, Waiter } from './mailbox.js';
import { isFinalExecutionStatus } from './statuses.js';
import { StepClaims } from './step-claims.js';
import type { NodeRunRecord, Transition } from './store-port.js';
import { nothingToWrite } from './transition-builder.js';
import { Wakeups } from './wakeups.js';

/** Execution images kept per process (see evict). */
const MAX_CACHED_IMAGES = 2000;
/** Images beyond the bound before a pass evicts them: a pass walks every key (ChurnMap), so not per step. */
const EVICT_BATCH = 200;
/** Refused commits of one tick applied again before it gives up (see retryRefused). */
const MAX_REFUSALS = 50;

/**
 * Cluster mode (PostgreSQL, several processes; src/cluster, src/queue): every commit checks the
 * execution's revision, the steps, wake-ups and deadlines it makes due are graphile-worker jobs in
 * its transaction (cluster-work.ts), and events reach other processes as notices. The job queue
 * (src/queue/job-queue.ts) calls runStepJob / runWakeJob / runDeadlineJob; the notice listener calls
 * abortStep / ingestNotice. Nothing is recovered at start: the jobs are the work.
 */
export class ClusterDispatcher implements Dispatcher {
  readonly soleWriter = false;
  private host!: DispatchHost;
  /** Step jobs waiting for their step's result to commit. */
  private readonly stepWaiters: Map<string, Waiter> = new ChurnMap();
  /** Worker mode: the steps this process makes due and runs itself. */
  private readonly claims = new StepClaims();
  /** Deadline jobs that ran before their time here (another host's clock): looked at again locally. */
  private early: Wakeups | undefined;

  attach(host: DispatchHost): void {
    if (this.host) throw new Error('a cluster dispatcher serves one engine');
    this.host = host;
  }

  get owner(): string {
    return this.host.owner;
  }

  start(): Promise<void> {
    // The queued jobs are the work to pick up; leases are graphile-worker's job locks.
    return Promise.resolve();
  }

  prepare(tick: Tick): Transition {
    const t = tick.transition;
    const completing = this.claims.completions(tick.resultRunIds);
    if (nothingToWrite(t) && completing.length === 0) return t;
    // A worker runs the steps it makes due itself while it has room: no queue round trip between
    // consecutive steps. The job is still written (locked to this worker) so a crash hands it over.
    const claimBy = this.claims.claimer(this.host.steps.running, this.host.draining());
    return {
      ...t, ...(t.insertExecution ? {} : { expectRevision: tick.state.revision }),
      ...clusterWork(tick.state, t, tick.effects, tick.order, tick.previousStatus, this.host.owner, claimBy),
      ...(completing.length > 0 ? { completeJobs: completing } : {}),
    };
  }

  retryRefused(refusals: number): boolean {
    // Routine here (two workers finished parallel branches at once): the same events go to the
    // fresh image, where stale step results are ignored by their token.
    return refusals < MAX_REFUSALS;
  }

  committed(tick: Tick, tx: Transition): void {
    this.claims.committed(tx);
    // The rest was written as jobs in the commit; any worker may take them. The steps this worker
    // claimed it runs at once.
    const id = tick.state.execution.id;
    for (const run of tick.effects.dispatch) if (this.claims.has(run.id)) this.host.steps.dispatch(id, run, tick.state);
  }

  finished(): void {
    // The commit removed the deadline job (cluster-work.ts).
  }

  armDeadline(executionId: string, at: number): void {
    this.early ??= new Wakeups(this.host.clock, (id) => this.host.post(id, { kind: 'deadline' }));
    this.early.set(executionId, at);
  }

  resultWaiter(runId: string): Waiter | undefined {
    const waiter = this.stepWaiters.get(runId);
    this.stepWaiters.delete(runId);
    return waiter;
  }

  evict(live: Live): void {
    // Other processes advance it too, so this image may go stale (commits are revision-checked).
    // Keeping it saves the reload when this worker also runs the next step; the least recently
    // used images go beyond a bound (once EVICT_BATCH more have gathered), never one busy or with a
    // step running here.
    const images = this.host.live;
    const id = live.state.execution.id;
    images.delete(id);
    images.set(id, live);
    if (images.size <= MAX_CACHED_IMAGES + EVICT_BATCH) return;
    for (const [otherId, other] of images) {
      if (images.size <= MAX_CACHED_IMAGES) break;
      if (other.busy || other.mailbox.length > 0 || [...other.state.open.keys()].some((runId) => this.host.steps.has(runId))) continue;
      images.delete(otherId);
    }
  }

  reload(): void {
    // A failed commit fails its job, and the queue runs it again.
  }

  hold(): void {
    this.early?.stop();
  }

  close(): void {
    // Step jobs whose results could not be committed fail, so the queue retries them elsewhere.
    for (const w of this.stepWaiters.values()) w.reject(new ItwError('unavailable', 'the engine stopped before the step finished'));
    this.stepWaiters.clear();
  }

  /** Worker mode: claim the steps this process makes due with this queue lock id (see prepare). */
  claimStepsAs(lockId: string, capacity: number): void {
    this.claims.enable(lockId, capacity);
  }

  /**
   * Runs one dispatched step (a graphile-worker job) and resolves once its result is committed, so
   * the job stays locked, and is re-run elsewhere if this process dies, until the result is durable.
   * A job for a run that is no longer running under its token is stale and does nothing.
   */
  async runStepJob(job: StepJob): Promise<void> {
    const host = this.host;
    if (host.draining()) throw new ItwError('unavailable', 'the engine is stopping; the job will be retried');
    const isDue = (r: NodeRunRecord | undefined): r is NodeRunRecord => r !== undefined && r.status === 'running' && r.lease_token === job.t;
    let live = host.live.get(job.e);
    if (!isDue(live?.state.byId.get(job.r))) {
      // A cached image that does not show the step due may be stale: read the store (through the
      // mailbox when busy). A cached image that does show it is good enough: the result's commit is
      // revision-checked and re-applied to a fresh image if another process moved on meanwhile.
      if (live) await new Promise<void>((resolve, reject) => host.enqueue(live!, { kind: 'refresh', done: { resolve, reject } }));
      else live = await host.getLive(job.e);
      if (!live) return;
    }
    const run = live.state.byId.get(job.r);
    if (!isDue(run) || isFinalExecutionStatus(live.state.execution.status)) return;
    if (host.steps.has(run.id)) return;
    const committed = new Promise<void>((resolve, reject) => this.stepWaiters.set(run.id, { resolve, reject }));
    host.steps.dispatch(job.e, run, live.state);
    await committed;
  }

  /** A delay, retry backoff or approval timeout has come (a graphile-worker job). */
  async runWakeJob(job: WakeJob): Promise<void> {
    // A stale image might not show the run waiting, and a wake that changes nothing commits nothing,
    // so no revision check would catch it: wake-ups always apply to what the store holds.
    this.host.post(job.e, { kind: 'refresh' });
    await this.postAndWait(job.e, { kind: 'wake', runId: job.r });
  }

  async runDeadlineJob(job: DeadlineJob): Promise<void> {
    this.host.post(job.e, { kind: 'refresh' });
    await this.postAndWait(job.e, { kind: 'deadline' });
  }

  /** Aborts a step running here whose execution another process cancelled. */
  abortStep(runId: string): void {
    this.host.steps.abort(runId, new Error('cancelled'));
  }

  /** A commit notice from another process (or this one): events here, answers to waiters. */
  ingestNotice(payload: string): void {
    this.host.notice(payload);
  }

  private postAndWait(executionId: string, ev: MailEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => this.host.post(executionId, { ...ev, done: { resolve, reject } }));
  }
}
