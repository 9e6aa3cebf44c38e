import { silentLogger, type Logger } from '../model/logger.js';
import { noCredentials } from '../model/credentials.js';
import { newId } from '../model/ids.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import { ConflictError, ItwError, NotFoundError, type ErrorRecord } from '../model/errors.js';
import { systemClock, type Clock } from './clock.js';
import type { CompiledGraph } from './compiled-graph.js';
import { ChurnMap } from './churn-map.js';
import { GraphCache } from './graph-cache.js';
import type { EngineListener } from './engine-events.js';
import { Announcer, type FinalOutcome } from './announcer.js';
import { lastCompletedRun } from './last-completed-run.js';
import type { EngineOptions, RetryPlan, StartRequest } from './engine-options.js';
import type { Live, MailEvent, Waiter } from './mailbox.js';
import type { ExecutionState } from './execution-state.js';
import { ExecutionState as State } from './execution-state.js';
import { GroupCommitter } from './group-committer.js';
import { nothingToWrite } from './transition-builder.js';
import type { Dispatcher, DispatchHost, Tick } from './dispatcher.js';
import { LocalDispatcher } from './local-dispatcher.js';
import * as lifecycle from './lifecycle.js';
import type { NodeRegistry } from './node-handler.js';
import { rebuildState, recoverRuns } from './recover.js';
import { isFinalExecutionStatus } from './statuses.js';
import { Stepper } from './stepper.js';
import type { EngineStore, ExecutionRecord, Transition, VersionRecord } from './store-port.js';
import { redactExecution, redactRun, redactTransition } from './redact-transition.js';
import { Redactor } from './redactor.js';
import { StepDispatcher } from './step-dispatcher.js';
import { OutputHub } from './output-hub.js';
import { FinalResults, type ExecutionResult } from './final-results.js';
import { KeyedChains } from './keyed-chains.js';
import { storableVariables, variableValues } from './variables.js';
import { StaleImages } from './stale-images.js';
import { concurrencyKeyOf } from './concurrency-key.js';
import { KeyAdmission } from './key-admission.js';

export type { EngineOptions, StartRequest } from './engine-options.js';
export type { FinalOutcome } from './announcer.js';
export type { ExecutionResult } from './final-results.js';

/**
 * Runs executions durably: one mailbox per execution serialises its ticks, a group committer
 * batches every tick's transition into shared transactions, and side effects (dispatching handlers,
 * arming wake-ups, events) happen only after the commit that recorded them. Where the work a commit
 * makes due goes is its dispatcher's business (dispatcher.ts: local or cluster).
 */
export class Engine {
  private readonly store: EngineStore;
  private readonly registry: NodeRegistry;
  private readonly clock: Clock;
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly maxSteps: number;
  private readonly takeOverLeases: boolean;
  private readonly redactor: Redactor;
  private readonly secrets: SecretKeeper | undefined;
  private readonly stepper: Stepper;
  private readonly committer: GroupCommitter;
  private readonly dispatcher: Dispatcher;
  private readonly live: Map<string, Live> = new ChurnMap();
  private readonly loading: Map<string, Promise<Live | undefined>> = new ChurnMap();
  private readonly graphs: GraphCache;
  private readonly steps: StepDispatcher;
  private readonly announcer: Announcer;
  private readonly startingKeys: Map<string, Promise<ExecutionRecord>> = new ChurnMap();
  /** max_concurrent_executions: one chain per workflow (see doStart). */
  private readonly slots = new KeyedChains();
  /** settings.concurrency: per-key slots held in the database (key-admission.ts). */
  private readonly keys: KeyAdmission;
  private sweepTimer: unknown;
  private readonly results: FinalResults;
  /** Process output of running steps: live views, listeners, tails (output-hub.ts). */
  readonly output: OutputHub;
  private readonly keySweepMs: number;
  /** Stopping: steps in flight may finish, nothing new starts. */
  private draining = false;
  private stopped = false;
  /** Executions whose commit failed: reloaded from the store once it answers (stale-images.ts). */
  private readonly stale: StaleImages;
  private readonly logger: Logger;

  constructor(opts: EngineOptions) {
    this.store = opts.store;
    this.registry = opts.registry;
    this.clock = opts.clock ?? systemClock;
    this.owner = opts.owner ?? newId('engine');
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxSteps = opts.maxConcurrentSteps ?? 256;
    this.takeOverLeases = opts.takeOverLeases ?? false;
    this.redactor = opts.redactor ?? new Redactor();
    this.logger = (opts.logger ?? silentLogger).child({ component: 'engine' });
    this.secrets = opts.secrets;
    this.stepper = new Stepper({ now: () => this.clock.now(), newRunId: () => newId('nexec'), owner: this.owner, leaseMs: this.leaseMs, credentials: opts.credentials ?? noCredentials, markSecret: (value) => this.redactor.add(value), ...(opts.secrets ? { secrets: opts.secrets } : {}), maxOutputBytes: opts.maxOutputBytes ?? 1_048_576, logger: this.logger });
    this.committer = new GroupCommitter(this.store);
    this.graphs = new GraphCache(this.store, this.registry);
    this.output = new OutputHub(this.redactor, opts.liveOutput);
    this.announcer = new Announcer({ store: this.store, redactor: this.redactor, owner: this.owner, stopped: () => this.stopped, logger: this.logger });
    this.dispatcher = opts.dispatcher ?? new LocalDispatcher();
    this.results = new FinalResults({ store: this.store, announcer: this.announcer, live: this.live, dispatcher: this.dispatcher });
    this.stale = new StaleImages({ clock: this.clock, health: opts.storeHealth, reload: (id) => this.dispatcher.reload(id) });
    this.steps = new StepDispatcher({
      clock: this.clock, store: this.store, stepper: this.stepper, owner: this.owner, leaseMs: this.leaseMs, maxSteps: this.maxSteps, logger: this.logger,
      state: (id) => this.live.get(id)?.state,
      liveOutput: (state, run) => this.output.viewFor(state, run),
      done: (executionId, run, result, logs) => {
        const waiter = this.dispatcher.resultWaiter(run.id);
        this.post(executionId, { kind: 'result', runId: run.id, token: run.lease_token, result, logs, ...(waiter ? { done: waiter } : {}) });
      },
    });
    this.keySweepMs = opts.concurrencySweepMs ?? 15_000;
    this.keys = new KeyAdmission({
      store: this.store, logger: this.logger,
      begin: async (id) => {
        const live = await this.getLive(id);
        if (live) await new Promise<void>((resolve, reject) => this.enqueue(live, { kind: 'begin', done: { resolve, reject } }));
      },
    });
    const host: DispatchHost = {
      owner: this.owner, clock: this.clock, store: this.store, steps: this.steps, live: this.live,
      draining: () => this.draining,
      post: (id, ev) => this.post(id, ev),
      enqueue: (live, ev) => this.enqueue(live, ev),
      getLive: (id) => this.getLive(id),
      notice: (payload) => this.announcer.ingestNotice(payload),
    };
    this.dispatcher.attach(host);
  }

  onEvent(listener: EngineListener): () => void {
    return this.announcer.onEvent(listener);
  }

  /** Picks up the work the store holds (locally: re-dispatches expired steps, re-arms wake-ups). */
  async start(): Promise<void> {
    await this.dispatcher.start();
    this.armKeySweep(0);
  }

  /**
   * Queues behind concurrency keys are looked at on start and then every `concurrencySweepMs`:
   * a process killed between an execution's end and the admission pass after it (or one whose
   * pass failed) leaves a free slot that nobody else would hand on.
   */
  private armKeySweep(delayMs: number): void {
    if (this.draining || this.keySweepMs <= 0) return;
    this.sweepTimer = this.clock.setTimer(() => {
      this.sweepTimer = undefined;
      this.keys.sweep(async (_workflowId, executionId) => {
        const loaded = await this.store.loadExecution(executionId);
        const version = loaded ? await this.store.getVersion(loaded.execution.version_id) : undefined;
        return version ? this.compiled(version).settings.concurrency?.limit : undefined;
      }).catch((err: unknown) => {
        if (!this.stopped) this.logger.error({ err }, 'concurrency key sweep failed');
      }).finally(() => this.armKeySweep(this.keySweepMs));
    }, delayMs);
  }

  /**
   * Graceful stop: no new executions, dispatches or wake-ups; steps in flight get up to `graceMs` to
   * finish and have their results committed. Whatever still runs then is aborted and its lease
   * released, so the next process (or this one's restart) re-dispatches it at once.
   */
  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.draining = true;
    if (this.sweepTimer !== undefined) this.clock.clearTimer(this.sweepTimer);
    this.dispatcher.hold();
    this.stale.stop();
    this.steps.hold();
    const until = Date.now() + (opts.graceMs ?? 0);
    while (this.steps.running > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await this.idle(until);
    this.stopped = true;
    this.steps.abortAll(new Error('engine stopping'));
    await this.idle(Date.now() + 5000);
    this.dispatcher.close();
    try {
      await this.store.releaseLeases(this.owner);
    } catch (err) {
      this.logger.error({ err }, 'releasing leases at stop failed; they will expire instead');
    }
  }

  /**
   * The database answers again after an outage (store/availability.ts): every execution whose
   * commit or load failed meanwhile is reloaded and recovered, so its waits re-arm and its steps
   * are dispatched again, as at start.
   */
  reloadStale(): void {
    if (!this.stopped) this.stale.reloadAll();
  }

  /** Waits for ticks under way to commit (bounded). */
  private async idle(until: number): Promise<void> {
    while ([...this.live.values()].some((l) => l.busy) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  }

  compiled(version: VersionRecord): CompiledGraph {
    return this.graphs.of(version);
  }

  /** Starts an execution; resolves once its first transition is committed. */
  /** Whether a version may start child executions (run_workflow); undefined when this process has not compiled it. */
  startsChildren(versionId: string): boolean | undefined {
    return this.graphs.known(versionId)?.startsChildren;
  }

  async startExecution(req: StartRequest): Promise<ExecutionRecord> {
    const key = req.idempotencyKey ?? null;
    if (key !== null) {
      const dedupKey = `${req.version.workflow_id}\u0000${key}`;
      const inFlight = this.startingKeys.get(dedupKey);
      if (inFlight) return inFlight;
      const p = this.startOnce(req, key).finally(() => this.startingKeys.delete(dedupKey));
      this.startingKeys.set(dedupKey, p);
      return p;
    }
    return this.doStart(req, null);
  }

  private async startOnce(req: StartRequest, key: string): Promise<ExecutionRecord> {
    const existing = await this.store.findExecutionByIdempotencyKey(req.version.workflow_id, key);
    if (existing) return existing;
    try {
      return await this.doStart(req, key);
    } catch (err) {
      // Another process committed the same key first: its execution is the answer.
      const winner = err instanceof ConflictError ? await this.store.findExecutionByIdempotencyKey(req.version.workflow_id, key) : undefined;
      if (winner) return winner;
      throw err;
    }
  }

  private async doStart(req: StartRequest, key: string | null): Promise<ExecutionRecord> {
    if (this.draining) throw new ItwError('unavailable', 'the engine is stopping; try again on the next start');
    const graph = this.compiled(req.version);
    const now = this.clock.now();
    const timeout = graph.settings.timeout_seconds;
    const def = req.version.definition;
    const variables = await storableVariables(def, variableValues(def, req.variables), req.version.workflow_id, this.secrets, this.redactor);
    const execution: ExecutionRecord = {
      id: newId('exec'), workflow_id: req.version.workflow_id, version_id: req.version.id, version: req.version.version,
      status: 'pending', mode: req.mode ?? 'manual', trigger_type: req.triggerType ?? null, input_data: req.input ?? {},
      variables, output: null, error: null, idempotency_key: key,
      deadline_at: timeout > 0 ? now + timeout * 1000 : null, created_at: now, started_at: null, finished_at: null, duration_ms: null,
      entry_node_ids: req.entryNodeIds ? [...req.entryNodeIds] : null,
      parent_execution_id: req.parent?.executionId ?? null, parent_node_id: req.parent?.nodeId ?? null,
      parent_run_id: req.parent?.runId ?? null, depth: req.parent?.depth ?? 0, retry_of: req.retry?.of ?? null,
    };
    const keyed = graph.settings.concurrency;
    if (keyed) {
      // Stored pending with its key first; the admission pass then begins it when its turn comes.
      const key = await concurrencyKeyOf(keyed, { trigger: execution.input_data, vars: variables, execution: { id: execution.id, workflow_id: execution.workflow_id, version: execution.version } });
      const started = await this.launch({ ...execution, concurrency_key: key }, graph, false);
      await this.keys.admit(execution.workflow_id, key, keyed.limit);
      return started;
    }
    const limit = graph.settings.max_concurrent_executions;
    // Registered before the first commit: an execution of inline nodes is final by its end.
    const waiting = req.onFinal ? this.announcer.awaitFinal(execution.id) : undefined;
    try {
      // A retry begins at once: queued, its kept runs would make it look begun (see `begin`).
      const started = limit > 0 && !req.retry
        ? await this.slots.run(execution.workflow_id, () => this.admit(execution, graph, limit))
        : await this.launch(execution, graph, true, req.retry);
      if (waiting && req.onFinal) void waiting.promise.then(req.onFinal);
      return started;
    } catch (err) {
      waiting?.cancel();
      throw err;
    }
  }

  /**
   * max_concurrent_executions: starts for a limited workflow go through one chain per workflow, so
   * counting the slots and taking one cannot interleave in this process. Over the limit, the
   * execution is stored `pending` and begins when a slot frees (dequeue).
   */
  private async admit(execution: ExecutionRecord, graph: CompiledGraph, limit: number): Promise<ExecutionRecord> {
    const active = await this.store.countActiveExecutions(execution.workflow_id);
    return this.launch(execution, graph, active < limit);
  }

  /**
   * A slot freed: begin the next queued execution, in the background. A failure (the store closing
   * under a stopping engine, an outage) leaves it queued: recovery at the next start, or the next
   * slot freed, begins it.
   */
  private dequeueSoon(workflowId: string, limit: number): void {
    this.dequeue(workflowId, limit).catch((err: unknown) => {
      if (!this.stopped && !this.draining) this.logger.error({ err, workflow_id: workflowId }, 'could not begin a queued execution');
    });
  }

  private async dequeue(workflowId: string, limit: number): Promise<void> {
    await this.slots.run(workflowId, async () => {
      if ((await this.store.countActiveExecutions(workflowId)) >= limit) return;
      const next = await this.store.nextQueuedExecutionId(workflowId);
      if (!next) return;
      const live = await this.getLive(next);
      if (!live) return;
      await new Promise<void>((resolve, reject) => this.enqueue(live, { kind: 'begin', done: { resolve, reject } }));
    });
  }

  private async launch(execution: ExecutionRecord, graph: CompiledGraph, begin: boolean, retry?: RetryPlan): Promise<ExecutionRecord> {
    const state = new State(execution, graph);
    state.tx.createExecution(execution);
    if (retry) this.stepper.beginRetry(state, retry, execution.entry_node_ids ?? graph.manualEntries);
    else if (begin) this.stepper.begin(state, execution.entry_node_ids ?? graph.manualEntries);
    const live: Live = { state, mailbox: [], busy: true };
    this.live.set(execution.id, live);
    const committed = new Promise<void>((resolve, reject) => void this.tick(live, [{ kind: 'started', done: { resolve, reject } }]));
    await committed;
    return redactExecution(this.redactor, live.state.execution);
  }

  async cancel(executionId: string): Promise<ExecutionRecord> {
    return this.control(executionId, { kind: 'cancel' });
  }

  async pause(executionId: string): Promise<ExecutionRecord> {
    return this.control(executionId, { kind: 'pause' });
  }

  async resume(executionId: string): Promise<ExecutionRecord> {
    return this.control(executionId, { kind: 'resume' });
  }

  /**
   * Answers a run parked on a signal (an approval): it completes on `handle` with `output`.
   * Resolves after the answer is committed; ConflictError when the run is not waiting for one.
   */
  async signal(executionId: string, runId: string, handle: string, output: unknown): Promise<ExecutionRecord> {
    return this.control(executionId, { kind: 'signal', runId, handle, output });
  }

  /** Fails a run parked on a signal with `error` (a child workflow that failed); its error edges catch it. */
  async signalFailure(executionId: string, runId: string, handle: string, error: ErrorRecord): Promise<ExecutionRecord> {
    return this.control(executionId, { kind: 'signal', runId, handle, output: null, error });
  }

  /** Resolves with the execution once it reaches a final status. */
  async waitForFinal(executionId: string): Promise<ExecutionRecord> {
    return (await this.results.awaitOutcome(executionId)).execution;
  }

  /**
   * Resolves once the execution is final, with the execution and the output of `nodeId` (its last
   * completed top-level run; the execution's output without one): final-results.ts.
   */
  async waitForResult(executionId: string, nodeId?: string): Promise<ExecutionResult> {
    return this.results.resultOf(await this.results.awaitOutcome(executionId), nodeId);
  }

  /** What `waitForResult` answers, from an outcome (StartRequest.onFinal gives one). */
  resultOf(outcome: FinalOutcome, nodeId?: string): ExecutionResult | Promise<ExecutionResult> {
    return this.results.resultOf(outcome, nodeId);
  }

  private async control(executionId: string, ev: MailEvent): Promise<ExecutionRecord> {
    const live = await this.getLive(executionId);
    if (!live) throw new NotFoundError('execution', executionId);
    // Checks below must see what other processes committed, not this process's cached image.
    if (!this.dispatcher.soleWriter) await new Promise<void>((resolve, reject) => this.enqueue(live, { kind: 'refresh', done: { resolve, reject } }));
    const s = live.state.execution.status;
    if (isFinalExecutionStatus(s)) throw new ConflictError(`execution ${executionId} is already ${s}`, { status: s });
    if (ev.kind === 'resume' && s !== 'paused') throw new ConflictError(`execution ${executionId} is not paused`, { status: s });
    if (ev.kind === 'pause' && s === 'paused') throw new ConflictError(`execution ${executionId} is already paused`, { status: s });
    if (ev.kind === 'signal') {
      const refusal = lifecycle.signalRefusal(live.state, ev.runId, ev.handle);
      if (refusal) throw refusal;
    }
    await new Promise<void>((resolve, reject) => this.enqueue(live, { ...ev, done: { resolve, reject } }));
    return redactExecution(this.redactor, live.state.execution);
  }

  private post(executionId: string, ev: MailEvent): void {
    if (this.stopped) {
      ev.done?.reject(new ItwError('unavailable', 'the engine is stopped'));
      return;
    }
    const live = this.live.get(executionId);
    if (live) {
      this.enqueue(live, ev);
      return;
    }
    this.getLive(executionId).then(
      (l) => {
        if (l && !this.stopped) this.enqueue(l, ev);
        else ev.done?.resolve();
      },
      (err: unknown) => {
        if (ev.done) return ev.done.reject(err);
        // Loading raced a stop (the store is closing): the next start recovers this execution.
        if (this.stopped || this.draining) return;
        // A wake-up or step result that could not even load its execution: reload it later.
        if (!this.stale.failed(executionId, err)) this.logger.error({ err, execution_id: executionId }, 'could not load execution');
      },
    );
  }

  private enqueue(live: Live, ev: MailEvent): void {
    live.mailbox.push(ev);
    if (!live.busy) {
      live.busy = true;
      void this.tick(live, live.mailbox.splice(0));
    }
  }

  private getLive(executionId: string): Promise<Live | undefined> {
    const live = this.live.get(executionId);
    if (live) return Promise.resolve(live);
    let p = this.loading.get(executionId);
    if (!p) {
      p = this.load(executionId).finally(() => this.loading.delete(executionId));
      this.loading.set(executionId, p);
    }
    return p;
  }

  private async load(executionId: string): Promise<Live | undefined> {
    const loaded = await this.store.loadExecution(executionId);
    if (!loaded) return undefined;
    const graph = await this.graphs.byId(loaded.execution.version_id);
    const existing = this.live.get(executionId);
    if (existing) return existing;
    const live: Live = { state: rebuildState(loaded, graph), mailbox: [], busy: false };
    this.live.set(executionId, live);
    return live;
  }

  /** One tick: apply events, advance, commit, then act. Loops while events keep arriving. */
  private async tick(live: Live, events: MailEvent[]): Promise<void> {
    let waiters: Waiter[] = [];
    try {
      let batch = events;
      let refusals = 0;
      for (;;) {
        if (batch.some((ev) => ev.kind === 'refresh')) await this.refreshImage(live);
        const state = live.state;
        const previousStatus = state.execution.status;
        waiters = batch.flatMap((ev) => (ev.done ? [ev.done] : []));
        for (const ev of batch) await this.apply(state, ev);
        await this.stepper.drain(state);
        lifecycle.settleStatus(state, this.clock.now());
        const order = state.tx.order;
        const t = redactTransition(this.redactor, state.tx.take());
        const effects = { dispatch: state.toDispatch, wake: state.toWake, abort: state.toAbort };
        state.toDispatch = [];
        state.toWake = [];
        state.toAbort = [];
        const resultRunIds = batch.flatMap((ev) => (ev.kind === 'result' ? [ev.runId] : []));
        const tick: Tick = { state, transition: t, effects, order, previousStatus, resultRunIds };
        const tx = this.dispatcher.prepare(tick);
        const accepted = nothingToWrite(tx) ? true : await this.committer.commit(tx);
        if (!accepted) {
          // Another owner moved this execution on: our image is stale, so reload it from the store.
          await this.refreshImage(live);
          if (this.dispatcher.retryRefused(++refusals)) continue;
        } else {
          if (tx.expectRevision !== undefined) state.revision++;
          this.afterCommit(tick, tx);
        }
        for (const w of waiters) w.resolve();
        waiters = [];
        if (live.mailbox.length === 0) break;
        batch = live.mailbox.splice(0);
      }
    } catch (err) {
      // The commit failed, or landed without our hearing so: the image (and the wake-up or dispatch
      // its events consumed) may disagree with the store. Drop it; the store decides on reload.
      const id = live.state.execution.id;
      this.live.delete(id);
      const outage = this.stopped ? true : this.stale.failed(id, err);
      // Events still queued die with this image; their callers learn it instead of waiting forever.
      waiters.push(...live.mailbox.splice(0).flatMap((ev) => (ev.done ? [ev.done] : [])));
      if (waiters.length > 0) for (const w of waiters) w.reject(err);
      else if (!outage) this.logger.error({ err, execution_id: id }, 'tick failed');
    } finally {
      live.busy = false;
      if (live.mailbox.length > 0) this.enqueue(live, live.mailbox.shift()!);
      else this.maybeEvict(live);
    }
  }

  /** Replaces an image with what the store holds now (keeping its mailbox). */
  private async refreshImage(live: Live): Promise<void> {
    const id = live.state.execution.id;
    const loaded = await this.store.loadExecution(id);
    if (!loaded) return;
    live.state = rebuildState(loaded, live.state.graph);
    this.live.set(id, live);
  }

  private async apply(state: ExecutionState, ev: MailEvent): Promise<void> {
    const now = this.clock.now();
    const finalStatus = isFinalExecutionStatus(state.execution.status);
    switch (ev.kind) {
      case 'result': {
        const run = state.byId.get(ev.runId);
        if (run && run.status === 'running' && run.lease_token === ev.token) this.stepper.flushLogs(state, run, ev.logs);
        return lifecycle.onResult(this.stepper, state, ev.runId, ev.token, ev.result);
      }
      case 'wake':
        if (!finalStatus) await lifecycle.onWake(this.stepper, state, ev.runId, now);
        return;
      case 'deadline':
        if (!finalStatus && state.execution.deadline_at !== null && state.execution.deadline_at <= now) lifecycle.timeOut(this.stepper, state, now);
        else if (!finalStatus && state.execution.deadline_at !== null) this.dispatcher.armDeadline(state.execution.id, state.execution.deadline_at);
        return;
      case 'cancel':
        if (!finalStatus) lifecycle.cancel(this.stepper, state, now);
        return;
      case 'pause':
        if (!finalStatus) lifecycle.pause(state);
        return;
      case 'resume':
        if (state.execution.status === 'paused') lifecycle.resume(this.stepper, state, now);
        return;
      case 'signal':
        if (!finalStatus) await lifecycle.onSignal(this.stepper, state, ev.runId, ev.handle, ev.output, ev.error);
        return;
      case 'started':
      case 'refresh':
        return;
      case 'begin':
        if (state.execution.status === 'pending' && state.open.size === 0 && state.byId.size === 0) {
          this.stepper.begin(state, state.execution.entry_node_ids ?? state.graph.manualEntries);
        }
        return;
      case 'recover':
        this.recover(state, now);
        return;
      default: {
        const never: never = ev;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }

  /** Re-dispatches orphaned steps and re-arms wake-ups of an execution loaded from the store. */
  private recover(state: ExecutionState, now: number): void {
    if (isFinalExecutionStatus(state.execution.status)) return;
    const limit = state.graph.settings.max_concurrent_executions;
    if (state.execution.status === 'pending' && state.byId.size === 0) {
      // Queued behind a concurrency key or max_concurrent_executions (or its start never got further): take a slot if free.
      const keyed = state.graph.settings.concurrency;
      if (keyed && state.execution.concurrency_key != null) {
        this.keys.admit(state.execution.workflow_id, state.execution.concurrency_key, keyed.limit).catch((err: unknown) => {
          if (!this.stopped) this.logger.error({ err, execution_id: state.execution.id }, 'concurrency key admission failed; the sweep retries');
        });
      }
      else if (limit > 0) this.dequeueSoon(state.execution.workflow_id, limit);
      else this.stepper.begin(state, state.execution.entry_node_ids ?? state.graph.manualEntries);
      return;
    }
    if (state.execution.deadline_at !== null) this.dispatcher.armDeadline(state.execution.id, state.execution.deadline_at);
    recoverRuns(this.stepper, state, now, {
      owner: this.owner, leaseMs: this.leaseMs, takeOverLeases: this.takeOverLeases, inFlight: (id) => this.steps.has(id),
    });
  }

  private afterCommit(tick: Tick, tx: Transition): void {
    const { state, transition: t, order, previousStatus } = tick;
    for (const runId of tick.effects.abort) this.steps.abort(runId, new Error('cancelled'));
    this.dispatcher.committed(tick, tx);
    if (this.announcer.listening) {
      const workflowId = state.execution.workflow_id;
      for (const runId of order) {
        const r = state.byId.get(runId);
        if (r) this.announcer.emit({ type: 'node', run: redactRun(this.redactor, r), workflow_id: workflowId });
      }
      if (t.insertExecution || t.updateExecution) {
        this.announcer.emit({ type: 'execution', execution: redactExecution(this.redactor, state.execution), previous_status: t.insertExecution ? null : previousStatus });
      }
    }
    if (isFinalExecutionStatus(state.execution.status)) {
      this.dispatcher.finished(state.execution.id);
      this.announcer.resolveFinal(state.execution, (nodeId) => lastCompletedRun(state.byId.values(), nodeId));
      const limit = state.graph.settings.max_concurrent_executions;
      if (limit > 0) this.dequeueSoon(state.execution.workflow_id, limit);
      const keyed = state.graph.settings.concurrency;
      const key = state.execution.concurrency_key;
      // Its slot was freed by the commit that ended it: hand it on to the oldest waiting.
      if (keyed && key != null) {
        this.keys.admit(state.execution.workflow_id, key, keyed.limit).catch((err: unknown) => {
          if (!this.stopped) this.logger.error({ err, execution_id: state.execution.id }, 'concurrency key admission failed; the sweep retries');
        });
      }
    }
  }

  private maybeEvict(live: Live): void {
    if (isFinalExecutionStatus(live.state.execution.status)) this.live.delete(live.state.execution.id);
    else this.dispatcher.evict(live);
  }
}
