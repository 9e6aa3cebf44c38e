import type { Kysely } from 'kysely';
import { incidentNotFound } from './incident-errors.js';
import { toAlert, toEvent, toIncident } from './incident-rows.js';
import type { Database } from '../store/schema.js';
import type { Incident, IncidentDetail, IncidentStatus, Severity } from './incident-types.js';

export interface IncidentFilter {
  readonly status?: readonly IncidentStatus[] | undefined;
  readonly severity?: readonly Severity[] | undefined;
  readonly service?: string | undefined;
  /** @default 50 */
  readonly limit?: number | undefined;
  /** `next_cursor` of the previous page: the list is newest first by id, which is creation order. */
  readonly cursor?: string | undefined;
}

export interface IncidentPage {
  readonly items: readonly Incident[];
  readonly next_cursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export async function findIncident(db: Kysely<Database>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function loadIncident(db: Kysely<Database>, id: string): Promise<Incident> {
  const incident = await findIncident(db, id);
  if (!incident) throw incidentNotFound(id);
  return incident;
}

export async function incidentDetail(db: Kysely<Database>, id: string): Promise<IncidentDetail | undefined> {
  const incident = await findIncident(db, id);
  if (!incident) return undefined;
  // Ids sort by creation time within a process; `at` first keeps rows of several processes in order.
  const events = await db.selectFrom('incident_events').selectAll().where('incident_id', '=', id).orderBy('at').orderBy('id').execute();
  const alerts = await db.selectFrom('alerts').selectAll().where('incident_id', '=', id).orderBy('first_seen').orderBy('id').execute();
  return { ...incident, timeline: events.map(toEvent), alerts: alerts.map(toAlert) };
}

export async function listIncidents(db: Kysely<Database>, f: IncidentFilter): Promise<IncidentPage> {
  const limit = Math.min(Math.max(1, f.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  let q = db.selectFrom('incidents').selectAll();
  if (f.status !== undefined && f.status.length > 0) q = q.where('status', 'in', f.status);
  if (f.severity !== undefined && f.severity.length > 0) q = q.where('severity', 'in', f.severity);
  if (f.service !== undefined) q = q.where('service', '=', f.service);
  if (f.cursor !== undefined) q = q.where('id', '<', f.cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toIncident);
  return { items: page, next_cursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
