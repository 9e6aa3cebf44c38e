import type { Kysely } from 'kysely';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './incident-queries.js';
import { toAlert } from './incident-rows.js';
import type { Database } from '../store/schema.js';
import type { Alert, AlertStatus, Severity } from './incident-types.js';

export interface AlertFilter {
  readonly status?: readonly AlertStatus[] | undefined;
  readonly severity?: readonly Severity[] | undefined;
  readonly source?: string | undefined;
  readonly incident_id?: string | undefined;
  /** @default 50 */
  readonly limit?: number | undefined;
  /** `next_cursor` of the previous page: newest first by id, which is creation order. */
  readonly cursor?: string | undefined;
}

export interface AlertPage {
  readonly items: readonly Alert[];
  readonly next_cursor: string | null;
}

export async function listAlerts(db: Kysely<Database>, f: AlertFilter): Promise<AlertPage> {
  const limit = Math.min(Math.max(1, f.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  let q = db.selectFrom('alerts').selectAll();
  if (f.status !== undefined && f.status.length > 0) q = q.where('status', 'in', f.status);
  if (f.severity !== undefined && f.severity.length > 0) q = q.where('severity', 'in', f.severity);
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  if (f.incident_id !== undefined) q = q.where('incident_id', '=', f.incident_id);
  if (f.cursor !== undefined) q = q.where('id', '<', f.cursor);
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(toAlert);
  return { items: page, next_cursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
