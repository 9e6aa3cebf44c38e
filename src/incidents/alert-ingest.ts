import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { newId } from '../model/ids.js';
import { invalidInput } from './incident-errors.js';
import { openIncident, type NewIncident } from './incident-open.js';
import { findIncident } from './incident-queries.js';
import { toAlert } from './incident-rows.js';
import { acknowledgeIncident, resolveIncident } from './incident-transitions.js';
import { SEVERITIES, type Alert, type Incident, type Severity } from './incident-types.js';
import { appendEvent } from './timeline.js';
import type { Unit } from './unit-of-work.js';

export const ALERT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** An Events-v2-shaped alert event (WIRE-FORMATS.md "PagerDuty-style events in"). */
export interface AlertEvent {
  readonly action: AlertAction;
  /** Open alerts are deduplicated by it; a trigger without one gets a fresh random key. Required to acknowledge or resolve. */
  readonly dedup_key?: string | undefined;
  /** Required for trigger. */
  readonly source?: string | undefined;
  readonly severity?: Severity | undefined;
  readonly summary?: string | undefined;
  /** Kept as the alert's payload (the first trigger's; repeats only count). */
  readonly payload?: unknown;
}

export interface IngestOptions {
  /** A new alert opens an incident. @default true */
  readonly opensIncident?: boolean | undefined;
  /** Fields of the incident it opens, over those derived from the alert (title = summary...). */
  readonly incident?: Partial<NewIncident> | undefined;
}

export interface IngestResult {
  /** Null when an acknowledge/resolve names no open alert (accepted and ignored, as PagerDuty does). */
  readonly alert: Alert | null;
  readonly incident: Incident | null;
  /** A new alert was opened: the alert trigger starts workflows only then. */
  readonly created: boolean;
  readonly incident_created: boolean;
}

const NOTHING: IngestResult = { alert: null, incident: null, created: false, incident_created: false };

/** `{title: undefined}` must not override the title derived from the alert. */
function definedFields<T extends object>(fields: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw invalidInput('invalid_alert', `alert ${name} is required to trigger`, `/${name}`);
  return value;
}

export async function ingestAlert(u: Unit, e: AlertEvent, opts: IngestOptions = {}): Promise<IngestResult> {
  switch (e.action) {
    case 'trigger':
      return trigger(u, e, opts);
    case 'acknowledge':
    case 'resolve':
      return settle(u, e.action, e);
    default: {
      const never: never = e.action;
      throw invalidInput('invalid_alert', `unknown alert action ${String(never)}`, '/action');
    }
  }
}

async function trigger(u: Unit, e: AlertEvent, opts: IngestOptions): Promise<IngestResult> {
  const severity = required(e.severity, 'severity');
  if (!SEVERITIES.includes(severity)) throw invalidInput('invalid_alert', `alert severity must be one of ${SEVERITIES.join(', ')}`, '/severity');
  const id = newId('alert', u.now);
  const row = await u.trx
    .insertInto('alerts')
    .values({
      id,
      dedup_key: e.dedup_key ?? randomUUID(),
      source: required(e.source, 'source'),
      severity,
      status: 'triggered',
      summary: required(e.summary, 'summary'),
      count: 1,
      first_seen: u.now,
      last_seen: u.now,
      acknowledged_at: null,
      resolved_at: null,
      payload: e.payload === undefined ? null : JSON.stringify(e.payload),
      incident_id: null,
    })
    // Same predicate as the alerts_open_dedup_key index, literal so PostgreSQL can match the index to it.
    .onConflict((oc) =>
      oc
        .column('dedup_key')
        .where(sql<boolean>`status <> 'resolved'`)
        .doUpdateSet((eb) => ({ count: eb(eb.ref('alerts.count'), '+', 1), last_seen: u.now })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  const alert = toAlert(row);
  const created = row.id === id;
  if (!created && alert.incident_id !== null) {
    await appendEvent(u, alert.incident_id, 'alert_repeated', { alert_id: alert.id, count: alert.count });
    return { alert, incident: (await findIncident(u.trx, alert.incident_id)) ?? null, created, incident_created: false };
  }
  // A repeat of an alert that has no incident gets one only if incidents are wanted now.
  if (!(opts.opensIncident ?? true)) return { alert, incident: null, created, incident_created: false };
  const incident = await openIncident(u, { title: alert.summary, severity: alert.severity, ...definedFields(opts.incident) }, alert.id);
  await u.trx.updateTable('alerts').set({ incident_id: incident.id }).where('id', '=', alert.id).execute();
  return { alert: { ...alert, incident_id: incident.id }, incident, created, incident_created: true };
}

/**
 * Acknowledge/resolve the open alert with the key, and its incident: acknowledging it stops its
 * escalation; resolving it resolves the incident once no other alert of the incident is open.
 */
async function settle(u: Unit, action: 'acknowledge' | 'resolve', e: AlertEvent): Promise<IngestResult> {
  const key = e.dedup_key;
  if (key === undefined || key === '') throw invalidInput('invalid_alert', `dedup_key is required to ${action}`, '/dedup_key');
  const open = await u.trx.selectFrom('alerts').selectAll().where('dedup_key', '=', key).where('status', '<>', 'resolved').executeTakeFirst();
  if (!open) return NOTHING;
  const set =
    action === 'resolve'
      ? { status: 'resolved' as const, resolved_at: u.now }
      : { status: 'acknowledged' as const, acknowledged_at: open.acknowledged_at ?? u.now };
  const row = await u.trx.updateTable('alerts').set(set).where('id', '=', open.id).returningAll().executeTakeFirstOrThrow();
  const alert = toAlert(row);
  if (alert.incident_id === null) return { ...NOTHING, alert };
  let incident = await findIncident(u.trx, alert.incident_id);
  if (incident === undefined || incident.status === 'resolved') return { ...NOTHING, alert, incident: incident ?? null };
  if (action === 'acknowledge') {
    if (incident.status === 'triggered') incident = await acknowledgeIncident(u, incident.id);
  } else {
    const others = await u.trx
      .selectFrom('alerts')
      .select('id')
      .where('incident_id', '=', incident.id)
      .where('status', '<>', 'resolved')
      .executeTakeFirst();
    if (!others) incident = await resolveIncident(u, incident.id, `alert ${alert.dedup_key} resolved`);
  }
  return { ...NOTHING, alert, incident };
}
