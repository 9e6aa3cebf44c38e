import { silentLogger, type Logger } from '../model/logger.js';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../engine/clock.js';
import { ingestAlert, type AlertEvent, type IngestOptions, type IngestResult } from './alert-ingest.js';
import { listAlerts, type AlertFilter, type AlertPage } from './alert-queries.js';
import { EscalationPolicies } from './escalation-policies.js';
import type { EscalationTimer } from './escalation-timers.js';
import { addNote, assignIncident, recordForwarding, updateIncident, type IncidentPatch } from './incident-edits.js';
import { completeEscalation, escalateIncident, pageFor, type NotificationOutcome, type Page } from './incident-escalation.js';
import { IncidentHooks, type IncidentHookEvent, type IncidentListener } from './incident-hooks.js';
import { openIncident, type NewIncident } from './incident-open.js';
import { findIncident, incidentDetail, listIncidents, loadIncident, type IncidentFilter, type IncidentPage } from './incident-queries.js';
import type { Database } from '../store/schema.js';
import { acknowledgeIncident, resolveIncident } from './incident-transitions.js';
import type { ExternalRef, Incident, IncidentDetail } from './incident-types.js';
import { recordSyncAttempt, type SyncJob, type SyncOutcome } from './provider-sync-outbox.js';
import { changedByKey } from './timeline.js';
import { runUnit, type Unit, type WriteOptions } from './unit-of-work.js';

export interface IncidentServiceOptions {
  /** @default systemClock */
  readonly clock?: Clock;
  /** A listener that throws cannot undo a committed change; it is reported here. @default logged to `logger` */
  readonly onListenerError?: (err: unknown, event: IncidentHookEvent) => void;
  /** @default silent */
  readonly logger?: Logger;
}

export interface CreateIncidentInput extends NewIncident {
  /** Deduplicates like an alert trigger: while an alert with this key is open, its incident is returned. */
  readonly dedup_key?: string | undefined;
  /** The alert's source when `dedup_key` is given. @default service, else 'workflow' */
  readonly source?: string | undefined;
}

export interface CreateIncidentResult {
  readonly incident: Incident;
  /** False when the dedup key or the step's idempotency key found an existing incident. */
  readonly created: boolean;
}

/**
 * The incident module's one entry point: alerts, incidents, their timeline and escalation state, over
 * the store's database (SQLite or PostgreSQL, migration 005). Every change and its timeline rows commit
 * in one transaction; listeners hear of it after the commit. README.md beside this file has the model.
 */
export class IncidentService {
  readonly policies: EscalationPolicies;
  private readonly clock: Clock;
  private readonly hooks: IncidentHooks;
  private readonly timerListeners = new Set<() => void>();
  private readonly syncListeners = new Set<() => void>();

  constructor(
    private readonly db: Kysely<Database>,
    opts: IncidentServiceOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.hooks = new IncidentHooks(opts.onListenerError ?? ((err, event) => (opts.logger ?? silentLogger).error({ err, event: event.type }, 'incident listener failed')));
    this.policies = new EscalationPolicies(db, () => this.clock.now());
  }

  /** Over any database migrated to 005 (`store.db`). */
  static over(db: Kysely<Database>, opts: IncidentServiceOptions = {}): IncidentService {
    return new IncidentService(db, opts);
  }

  /** incident.created / acknowledged / escalated / resolved, after commit. Returns the unsubscribe function. */
  onEvent(listener: IncidentListener): () => void {
    return this.hooks.on(listener);
  }

  /** For the escalation scheduler: a commit scheduled a timer, look now instead of at the next poll. */
  onTimersChanged(listener: () => void): () => void {
    this.timerListeners.add(listener);
    return () => void this.timerListeners.delete(listener);
  }

  /** For the provider sync drainer: a commit queued a state change for a provider, look now. */
  onSyncChanged(listener: () => void): () => void {
    this.syncListeners.add(listener);
    return () => void this.syncListeners.delete(listener);
  }

  ingestAlert(event: AlertEvent, opts: IngestOptions & WriteOptions = {}): Promise<IngestResult> {
    return this.write(opts, (u) => ingestAlert(u, event, opts));
  }

  createIncident(input: CreateIncidentInput, opts: WriteOptions = {}): Promise<CreateIncidentResult> {
    return this.write(opts, async (u) => {
      const earlier = await this.createdByKey(u);
      if (earlier) return earlier;
      if (input.dedup_key === undefined) return { incident: await openIncident(u, input), created: true };
      const { dedup_key: dedupKey, source, ...fields } = input;
      const event = {
        action: 'trigger' as const,
        dedup_key: dedupKey,
        source: source ?? input.service ?? 'workflow',
        severity: input.severity,
        summary: input.title,
        payload: { description: input.description ?? null },
      };
      const r = await ingestAlert(u, event, { opensIncident: true, incident: fields });
      // opensIncident guarantees an incident: the alert's own, or one opened for it.
      return { incident: r.incident as Incident, created: r.incident_created };
    });
  }

  getIncident(id: string): Promise<IncidentDetail | undefined> {
    return incidentDetail(this.db, id);
  }

  findIncident(id: string): Promise<Incident | undefined> {
    return findIncident(this.db, id);
  }

  listIncidents(filter: IncidentFilter = {}): Promise<IncidentPage> {
    return listIncidents(this.db, filter);
  }

  listAlerts(filter: AlertFilter = {}): Promise<AlertPage> {
    return listAlerts(this.db, filter);
  }

  updateIncident(id: string, patch: IncidentPatch, opts: WriteOptions = {}): Promise<Incident> {
    return this.mutate(opts, (u) => updateIncident(u, id, patch));
  }

  assignIncident(id: string, assignee: string, opts: WriteOptions = {}): Promise<Incident> {
    return this.mutate(opts, (u) => assignIncident(u, id, assignee));
  }

  addNote(id: string, text: string, opts: WriteOptions = {}): Promise<Incident> {
    return this.mutate(opts, (u) => addNote(u, id, text));
  }

  acknowledgeIncident(id: string, opts: WriteOptions = {}): Promise<Incident> {
    return this.mutate(opts, (u) => acknowledgeIncident(u, id));
  }

  escalateIncident(id: string, opts: WriteOptions & { reason?: string | undefined } = {}): Promise<Incident> {
    return this.mutate(opts, (u) => escalateIncident(u, id, opts.reason));
  }

  resolveIncident(id: string, opts: WriteOptions & { resolution?: string | undefined } = {}): Promise<Incident> {
    return this.mutate(opts, (u) => resolveIncident(u, id, opts.resolution));
  }

  /** Keeps where the incident was forwarded (PagerDuty, Opsgenie, ServiceNow) and records the forward. */
  recordForwarding(id: string, action: string, ref: ExternalRef, opts: WriteOptions = {}): Promise<Incident> {
    return this.mutate(opts, (u) => recordForwarding(u, id, action, ref));
  }

  /** For the escalation scheduler: who a due timer pages, if anyone. */
  pageFor(timer: EscalationTimer): Promise<Page | undefined> {
    return pageFor(this.db, timer);
  }

  /** For the escalation scheduler: records a fired timer's pages and schedules the next level. */
  async completeEscalation(timer: EscalationTimer, outcomes: readonly NotificationOutcome[]): Promise<void> {
    await this.write({ actor: 'escalation' }, (u) => completeEscalation(u, timer, outcomes));
  }

  /** For the provider sync drainer: records one send attempt on the outbox row and the timeline. */
  async recordSyncAttempt(job: SyncJob, outcome: SyncOutcome): Promise<void> {
    await this.write({ actor: 'provider-sync' }, (u) => recordSyncAttempt(u, job, outcome));
  }

  private async write<T>(opts: WriteOptions, fn: (u: Unit) => Promise<T>): Promise<T> {
    const { value, hooks, timersChanged, syncChanged } = await runUnit(this.db, this.clock.now(), opts, fn);
    this.hooks.emit(hooks);
    if (timersChanged) for (const listener of this.timerListeners) listener();
    if (syncChanged) for (const listener of this.syncListeners) listener();
    return value;
  }

  /** A change the same step already made (its key is on a timeline row) is not made again. */
  private mutate(opts: WriteOptions, fn: (u: Unit) => Promise<Incident>): Promise<Incident> {
    return this.write(opts, async (u) => {
      const done = await changedByKey(u);
      return done === undefined ? fn(u) : loadIncident(u.trx, done);
    });
  }

  private async createdByKey(u: Unit): Promise<CreateIncidentResult | undefined> {
    const key = u.idempotencyKey;
    if (key === undefined) return undefined;
    const own = await u.trx.selectFrom('incidents').select('id').where('idempotency_key', '=', key).executeTakeFirst();
    if (own) return { incident: await loadIncident(u.trx, own.id), created: true };
    const touched = await changedByKey(u);
    return touched === undefined ? undefined : { incident: await loadIncident(u.trx, touched), created: false };
  }
}
