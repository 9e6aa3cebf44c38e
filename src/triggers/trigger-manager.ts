import { createHash } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Clock } from '../engine/clock.js';
import type { Engine, FinalOutcome } from '../engine/engine.js';
import type { VersionRecord } from '../engine/store-port.js';
import type { ExecutionStarter } from '../executions/execution-starter.js';
import { newId } from '../model/ids.js';
import { openTriggerConfig } from '../model/seal-secrets.js';
import type { SecretKeeper } from '../model/secret-ref.js';
import { TRIGGER_TYPES, type TriggerType } from '../nodes/trigger.js';
import type { NodeTrigger, TriggerRecord, TriggerRepository } from '../store/trigger-repository.js';
import type { WorkflowRepository } from '../store/workflow-repository.js';
import { backoffMs } from './backoff.js';
import { eventNameMatches, type EventConfig } from './sources/event-config.js';
import { ReplayCache } from './replay-cache.js';
import { StatusWriter } from './status-writer.js';
import { splitPolicy, type FiringPolicy } from '../model/firing-policy.js';
import { FiringGate } from './firing-gate.js';
import { MemoryHeldFirings, type HeldFirings } from './held-firings.js';
import type { Fired, Firing, IngressTarget, TriggerBinding, TriggerContext, TriggerHandle, TriggerSource } from './trigger-source.js';

export interface TriggerManagerOptions {
  readonly engine: Engine;
  /** The one start path: versions, idempotency. */
  readonly starter: ExecutionStarter;
  readonly workflows: WorkflowRepository;
  readonly triggers: TriggerRepository;
  readonly sources: readonly TriggerSource[];
  readonly clock: Clock;
  /** How often every process re-reads which triggers should run (activations made by other processes). @default 30000 */
  readonly resyncMs?: number;
  /** First restart delay of a failed source; doubles up to `retryMaxMs`. @default 1000 */
  readonly retryInitialMs?: number;
  /** @default 60000 */
  readonly retryMaxMs?: number;
  /** How long status changes may wait before they are written. @default 1000 */
  readonly statusFlushMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Cluster mode: singleton sources run only while this process leads. Absent (one process): they always run. */
  readonly leadership?: Leadership;
  /** Opens the vault references that stand for trigger secrets in stored configs. */
  readonly secrets?: SecretKeeper;
  /** Which bindings this process runs at all (a cluster worker runs only internal-event triggers). @default all */
  readonly runs?: (type: TriggerType, config: Record<string, unknown>) => boolean;
  /** The database's health (store/availability.ts): polling sources wait out an outage. @default none: no waiting */
  readonly database?: DatabaseWatch;
  /** Where debounced events wait (the database's, so they outlive the process). @default in this process's memory */
  readonly heldFirings?: HeldFirings;
}

/** What the triggers need of the database monitor. */
export interface DatabaseWatch {
  /** True when `err` means the database is down or full (the monitor then says when it is back). */
  report(err: unknown): boolean;
  onChange(listener: (change: { readonly status: string }) => void): () => void;
}

/** Whether this process leads the cluster, and news of changes (src/cluster/leader.ts provides it). */
export interface Leadership {
  isLeader(): boolean;
  /** Returns the unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
}

/** How long claimed schedule ticks are kept (run_once looks back to the latest one). */
const TICK_HISTORY_MS = 7 * 86_400_000;

/** Status values a trigger row shows. */
export const TRIGGER_STATES = ['idle', 'starting', 'running', 'error', 'invalid', 'stopped'] as const;
export type TriggerState = (typeof TRIGGER_STATES)[number];

interface Running {
  binding: TriggerBinding;
  /** What decides a restart: type, config, version and entry node. */
  fingerprint: string;
  ctx: TriggerContext;
  /** `{ binding, ctx }`, made once: what ingress hands each request. */
  target: IngressTarget;
  handle: TriggerHandle | undefined;
  starting: Promise<void> | undefined;
  /** debounce_seconds and rate_limit of this binding (firing-gate.ts). */
  gate: FiringGate | undefined;
  retryTimer: unknown;
  failures: number;
  stopped: boolean;
}

/**
 * Runs the triggers of active workflows: loads their bindings (trigger nodes of the active version,
 * mirrored into workflow_triggers, plus enabled rows registered through the API), starts and stops
 * sources on activate/deactivate/delete and at start, restarts failed sources with backoff, routes
 * HTTP ingress to bindings, and fires executions with idempotency keys.
 */
export class TriggerManager {
  readonly owner = newId('trgmgr');
  private readonly sources = new Map<TriggerType, TriggerSource>();
  private readonly running = new Map<string, Running>();
  private readonly routes = new Map<string, string[]>();
  private readonly synced = new Map<string, string | null>();
  private readonly status: StatusWriter;
  private readonly replays = new ReplayCache();
  private readonly log: NonNullable<TriggerManagerOptions['log']>;
  private resyncTimer: NodeJS.Timeout | undefined;
  private offLeadership: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private offDatabase: (() => void) | undefined;
  private readonly outageWaiters = new Set<(back: boolean) => void>();
  private readonly held: HeldFirings;

  constructor(private readonly o: TriggerManagerOptions) {
    for (const s of o.sources) this.sources.set(s.type, s);
    this.held = o.heldFirings ?? new MemoryHeldFirings();
    this.log = o.log ?? (() => undefined);
    this.status = new StatusWriter(o.triggers, o.statusFlushMs ?? 1000, (err) => this.log('warn', 'writing trigger status failed', { err: String(err) }));
  }

  now(): number {
    return this.o.clock.now();
  }

  source(type: TriggerType): TriggerSource | undefined {
    return this.sources.get(type);
  }

  /** Starts every trigger of every active workflow (a restart brings them back from the store). */
  async start(): Promise<void> {
    // Gaining leadership starts the singleton sources, losing it stops them.
    this.offLeadership = this.o.leadership?.onChange(() => void this.resync().catch((err: unknown) => this.log('error', 'trigger resync failed', { err: String(err) })));
    this.offDatabase = this.o.database?.onChange((c) => { if (c.status === 'available') this.databaseBack(); });
    await this.resync();
    const every = this.o.resyncMs ?? 30_000;
    if (every > 0) {
      this.resyncTimer = setInterval(() => void this.resync().catch((err: unknown) => this.log('error', 'trigger resync failed', { err: String(err) })), every);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.offLeadership?.();
    this.offDatabase?.();
    for (const done of [...this.outageWaiters]) done(false);
    await this.serial(async () => {
      // Held debounced events stay for the next process when they are in the database.
      await Promise.all([...this.running.keys()].map((id) => this.stopOne(id, 'stopped', !this.held.durable)));
    });
    await this.status.close();
  }

  /** Re-reads one workflow's triggers (after activate, deactivate, delete, or a trigger added/removed). */
  sync(workflowId: string): Promise<void> {
    return this.serial(() => this.syncWorkflow(workflowId));
  }

  /** Re-reads every active workflow's triggers. */
  resync(): Promise<void> {
    return this.serial(async () => {
      const active = await this.o.triggers.activeWorkflows();
      const ids = new Set([...active.map((w) => w.id), ...[...this.running.values()].map((r) => r.binding.workflowId)]);
      for (const id of ids) await this.syncWorkflow(id);
      // Debounced events held by a process that died (or whose timer is another process's) start when due.
      for (const r of this.running.values()) void r.gate?.wake();
      await this.o.triggers.pruneTicks(this.o.clock.now() - TICK_HISTORY_MS).catch(() => undefined);
    });
  }

  /** Pending status changes written (the API flushes before it lists triggers). */
  flushStatus(): Promise<void> {
    return this.status.flush();
  }

  /** Bindings holding an ingress route (`POST /x` for webhooks), each with its firing context. */
  targets(type: TriggerType, key: string): IngressTarget[] {
    const ids = this.routes.get(`${type}\u0000${key}`);
    if (ids === undefined) return [];
    const out: IngressTarget[] = [];
    for (const id of ids) {
      const r = this.running.get(id);
      if (r?.handle) out.push(r.target);
    }
    return out;
  }

  /** Every running binding of a type (internal events fan out by name). */
  bindings(type: TriggerType): IngressTarget[] {
    return [...this.running.values()].filter((r) => r.binding.type === type && r.handle).map((r) => r.target);
  }

  /**
   * An internal event (POST /automation/events/{name}, the emit_event action): fires every event
   * trigger of source `internal` whose name pattern matches.
   */
  async emitEvent(name: string, data: unknown, key: string | null): Promise<Array<{ trigger_id: string; workflow_id: string; execution_id: string; duplicate: boolean }>> {
    const out: Array<{ trigger_id: string; workflow_id: string; execution_id: string; duplicate: boolean }> = [];
    for (const t of this.bindings('event')) {
      const c = t.binding.config as EventConfig;
      if (c.source !== 'internal' || c.name === undefined || !eventNameMatches(c.name, name)) continue;
      const fired = await t.ctx.fire({ input: { source: 'internal', name, payload: data, received_at: new Date(this.o.clock.now()).toISOString() }, key });
      // Held by a debounce or over a rate limit: nothing started (yet) to name here.
      if (!fired.execution) continue;
      out.push({ trigger_id: t.binding.id, workflow_id: t.binding.workflowId, execution_id: fired.execution.id, duplicate: fired.duplicate });
    }
    return out;
  }

  /** Checks a config against its type's schema; returns it with defaults, or the problems. */
  validate(type: TriggerType, raw: Readonly<Record<string, unknown>>): { config: Record<string, unknown>; policy: FiringPolicy } | { problems: string[] } {
    const source = this.sources.get(type);
    if (!source) return { problems: [`trigger type ${type} is not available`] };
    const { trigger_type: _t, node_id: _n, ...all } = raw;
    // debounce_seconds and rate_limit belong to every type: checked here, not by the type's schema.
    const { rest, policy, problems: policyProblems } = splitPolicy(all);
    const config = Value.Default(source.configSchema, Value.Clone(rest)) as Record<string, unknown>;
    const problems = [...policyProblems, ...[...Value.Errors(source.configSchema, config)].map((e) => `${e.path || '/'}: ${e.message}`)];
    if (problems.length === 0 && source.check) problems.push(...source.check(config));
    return problems.length > 0 ? { problems } : { config, policy };
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async syncWorkflow(workflowId: string): Promise<void> {
    const wf = await this.o.workflows.getWorkflow(workflowId);
    const activeVersion = wf && wf.status === 'active' ? wf.active_version_id : null;
    if (activeVersion && this.synced.get(workflowId) !== activeVersion) {
      const version = await this.o.starter.requireVersion(activeVersion);
      await this.o.triggers.syncNodeTriggers(workflowId, nodeTriggers(version));
      this.synced.set(workflowId, activeVersion);
    }
    if (!activeVersion) this.synced.delete(workflowId);
    const rows = activeVersion && !this.closed ? await this.o.triggers.listRunnable(workflowId) : [];
    const wanted = new Map<string, { row: TriggerRecord; versionId: string }>(rows.map((r) => [r.id, { row: r, versionId: r.active_version_id }]));
    for (const [id, r] of [...this.running]) {
      if (r.binding.workflowId !== workflowId) continue;
      const w = wanted.get(id);
      if (!w) await this.stopOne(id, 'stopped', true);
      // Leadership lost: no status written, the new leader's is the one that counts.
      else if (!this.mayRun(r.binding.type, r.binding.config)) await this.stopOne(id, undefined, !this.held.durable);
      else if (fingerprintOf(w.row, w.versionId) !== r.fingerprint) await this.stopOne(id, 'idle', true);
    }
    for (const { row, versionId } of wanted.values()) {
      if (this.running.has(row.id)) continue;
      const secrets = this.o.secrets;
      const config = secrets ? await openTriggerConfig(secrets, row.workflow_id, row.trigger_type, row.config) : row.config;
      this.startOne(row, versionId, config);
      // HTTP ingress starts without I/O: routable by the time activate answers. Listeners start in the background.
      const r = this.running.get(row.id);
      if (r && this.sources.get(r.binding.type)?.handle) await r.starting;
    }
  }

  /** `config`: the row's, with its secrets opened (the fingerprint stays the stored row's). */
  private startOne(row: TriggerRecord, versionId: string, config: Readonly<Record<string, unknown>>): void {
    const type = row.trigger_type as TriggerType;
    if (!TRIGGER_TYPES.includes(type)) {
      this.status.state(row.id, 'invalid', `unknown trigger type ${row.trigger_type}`);
      return;
    }
    const checked = this.validate(type, config);
    if ('problems' in checked) {
      this.status.state(row.id, 'invalid', `config: ${checked.problems.join('; ')}`);
      return;
    }
    if (!this.mayRun(type, checked.config)) return;
    const nodeId = row.node_id ?? (typeof row.config['node_id'] === 'string' ? row.config['node_id'] : null);
    const binding: TriggerBinding = { id: row.id, workflowId: row.workflow_id, versionId, type, config: checked.config, nodeId };
    const source = this.sources.get(type)!;
    const route = source.routeKeys?.(checked.config);
    if (route) {
      const slots = route.keys.map((k) => `${type}\u0000${k}`);
      const taken = route.exclusive ? slots.find((slot) => (this.routes.get(slot) ?? []).length > 0) : undefined;
      if (taken !== undefined) {
        this.status.state(row.id, 'invalid', `${type} route ${taken.split('\u0000')[1]} is already used by trigger ${this.routes.get(taken)![0]}`);
        return;
      }
      for (const slot of slots) this.routes.set(slot, [...(this.routes.get(slot) ?? []), row.id]);
    }
    const r: Running = {
      binding, fingerprint: fingerprintOf(row, versionId), ctx: undefined as unknown as TriggerContext, target: undefined as unknown as IngressTarget, handle: undefined,
      starting: undefined, gate: undefined, retryTimer: undefined, failures: 0, stopped: false,
    };
    if (checked.policy.debounce_seconds !== undefined || checked.policy.rate_limit !== undefined) {
      r.gate = new FiringGate(checked.policy, {
        clock: this.o.clock,
        triggerId: row.id,
        held: this.held,
        // HTTP ingress answers 429 to an event over the limit; listener sources drop and count it.
        refuse: source.handle !== undefined,
        start: (f) => this.fire(r.binding, f),
        dropped: () => this.status.dropped(row.id),
        debounced: () => this.status.debounced(row.id),
        failed: (err) => this.log('error', `trigger ${row.id} could not start the debounced event`, { trigger_id: row.id, workflow_id: row.workflow_id, err: String(err) }),
      });
    }
    r.ctx = this.contextFor(r);
    r.target = { binding, ctx: r.ctx };
    this.running.set(row.id, r);
    this.launch(r);
  }

  private launch(r: Running): void {
    if (r.stopped) return;
    // A retry keeps showing `error` and its reason until the source is up again.
    if (r.failures === 0) this.status.state(r.binding.id, 'starting');
    const source = this.sources.get(r.binding.type)!;
    r.starting = source.start(r.ctx).then(
      (handle) => {
        r.starting = undefined;
        if (r.stopped) return void handle.stop().catch(() => undefined);
        r.handle = handle;
        r.failures = 0;
        this.status.state(r.binding.id, 'running', null);
      },
      (err: unknown) => {
        r.starting = undefined;
        this.onFailure(r, err);
      },
    );
  }

  /** A source that failed to start or lost its connection: record it, close what is left, retry later. */
  private onFailure(r: Running, err: unknown): void {
    if (r.stopped) return;
    const message = err instanceof Error ? err.message : String(err);
    const delay = backoffMs(r.failures, this.o.retryInitialMs ?? 1000, this.o.retryMaxMs ?? 60_000);
    r.failures += 1;
    this.status.state(r.binding.id, 'error', message);
    this.log('warn', `trigger ${r.binding.id} (${r.binding.type}) failed; retrying in ${delay} ms`, { trigger_id: r.binding.id, workflow_id: r.binding.workflowId, err: message });
    const handle = r.handle;
    r.handle = undefined;
    void handle?.stop().catch(() => undefined);
    if (r.retryTimer === undefined) {
      r.retryTimer = setTimeout(() => {
        r.retryTimer = undefined;
        this.launch(r);
      }, delay);
    }
  }

  /** Resolves true when the database is back after the outage `err` shows; false when `err` is no outage or `r` stops. */
  private afterOutage(r: Running, err: unknown): Promise<boolean> {
    const db = this.o.database;
    if (!db || r.stopped || this.closed || !db.report(err)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const done = (back: boolean) => {
        off();
        this.outageWaiters.delete(done);
        resolve(back && !r.stopped);
      };
      const off = db.onChange((c) => { if (c.status === 'available') done(true); });
      this.outageWaiters.add(done);
    });
  }

  /** The database is back: sources that failed meanwhile (an IMAP poll that could not fire) restart now, not after their backoff. */
  private databaseBack(): void {
    for (const r of this.running.values()) {
      if (r.retryTimer === undefined || r.stopped) continue;
      clearTimeout(r.retryTimer as NodeJS.Timeout);
      r.retryTimer = undefined;
      this.launch(r);
    }
  }

  /** False for a singleton binding while another process leads the cluster (it runs there). */
  private mayRun(type: TriggerType, config: Record<string, unknown>): boolean {
    if (this.o.runs && !this.o.runs(type, config)) return false;
    const single = this.sources.get(type)?.singleton;
    if (!this.o.leadership || single === undefined || single === false) return true;
    return this.o.leadership.isLeader() || !(single === true || single(config));
  }

  /** `state` undefined: the row's status is left as it is. */
  /** `flushHeld`: a burst held by the debounce starts its execution now (the binding goes away or changes). */
  private async stopOne(id: string, state: TriggerState | undefined, flushHeld: boolean): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    r.stopped = true;
    this.running.delete(id);
    if (r.retryTimer !== undefined) clearTimeout(r.retryTimer as NodeJS.Timeout);
    for (const [slot, holders] of this.routes) {
      const rest = holders.filter((h) => h !== id);
      if (rest.length === 0) this.routes.delete(slot);
      else if (rest.length !== holders.length) this.routes.set(slot, rest);
    }
    await r.starting;
    await r.gate?.stop(flushHeld);
    try {
      await r.handle?.stop();
    } catch (err) {
      this.log('warn', `stopping trigger ${id} failed`, { err: String(err) });
    }
    if (state !== undefined) this.status.state(id, state);
  }

  private contextFor(r: Running): TriggerContext {
    const b = () => r.binding;
    return {
      get binding() {
        return b();
      },
      clock: this.o.clock,
      fire: (f) => (r.gate ? r.gate.fire(f) : this.fire(r.binding, f)),
      waitForResult: (id, nodeId) => this.o.engine.waitForResult(id, nodeId),
      failed: (err) => this.onFailure(r, err),
      healthy: () => {
        r.failures = 0;
        if (!r.stopped) this.status.state(r.binding.id, 'running', null);
      },
      afterOutage: (err) => this.afterOutage(r, err),
      claimTick: (at) => this.o.triggers.claimTick(r.binding.id, at, this.owner),
      lastTick: () => this.o.triggers.lastTick(r.binding.id),
      log: (level, message, data) => this.log(level, message, { trigger_id: r.binding.id, workflow_id: r.binding.workflowId, ...data }),
      firstSeen: (key, until) => this.replays.firstSeen(`${r.binding.id} ${key}`, until, this.o.clock.now()),
    };
  }

  private async fire(binding: TriggerBinding, f: Firing): Promise<Fired> {
    const { engine } = this.o;
    let final: Promise<FinalOutcome> | undefined;
    let onFinal: ((o: FinalOutcome) => void) | undefined;
    // An inline execution is over before `triggered` returns: its result is then at hand, no promise needed.
    let settled: FinalOutcome | undefined;
    if (f.awaitResult) final = new Promise<FinalOutcome>((resolve) => (onFinal = (o) => { settled = o; resolve(o); }));
    const { execution, existing } = await this.o.starter.triggered({
      workflowId: binding.workflowId, versionId: binding.versionId, triggerType: binding.type, entryNodeId: binding.nodeId,
      input: f.input, idempotencyKey: f.key === null ? null : idempotencyKey(binding, f.key),
      ...(onFinal ? { onFinal } : {}),
    });
    if (!existing) this.status.fired(binding.id, this.o.clock.now());
    if (!f.awaitResult) return { execution, duplicate: existing };
    // A duplicate's execution was started before (maybe elsewhere): its end is waited for as any other's.
    const result = existing || !final
      ? (nodeId?: string) => engine.waitForResult(execution.id, nodeId)
      : (nodeId?: string) => (settled ? engine.resultOf(settled, nodeId) : final.then((o) => engine.resultOf(o, nodeId)));
    return { execution, duplicate: existing, result };
  }
}

/** Enabled trigger nodes of a version, each as the row that mirrors it. */
function nodeTriggers(version: VersionRecord): NodeTrigger[] {
  return version.definition.nodes
    .filter((n) => n.node_type === 'trigger' && !n.disabled)
    .map((n) => {
      const { trigger_type: type, ...config } = n.config;
      return { node_id: n.id, trigger_type: typeof type === 'string' ? type : 'manual', config };
    });
}

function fingerprintOf(row: TriggerRecord, versionId: string): string {
  return JSON.stringify([row.trigger_type, row.config, row.node_id, versionId]);
}

/**
 * Per binding, so two triggers of one workflow each fire once for the same delivery; long source
 * keys (file paths) are hashed to keep the unique index small.
 */
function idempotencyKey(binding: TriggerBinding, sourceKey: string): string {
  const key = `${binding.type}:${binding.id}:${sourceKey}`;
  return key.length <= 200 ? key : `${binding.type}:${binding.id}:sha256:${createHash('sha256').update(sourceKey).digest('hex')}`;
}
