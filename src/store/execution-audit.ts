import type { ExecutionRecord } from '../engine/store-port.js';

/**
 * The audit log's `execution.started` entries (ARCHITECTURE.md §6: every execution start is
 * audited), journaled by the same transaction that inserts the executions and appended by the
 * effects flusher (deferred-effects.ts): there is no start without its entry and no entry for a start
 * that rolled back, whichever process or source started it. Built
 * from the records in hand (not read back from the rows just written: on PostgreSQL that SELECT was
 * one of the heaviest statements of a webhook commit), in start order.
 */
export interface StartAuditEntry {
  readonly ts: number;
  readonly actor: string;
  readonly resourceId: string;
  /** JSON text: the workflow, its version and the mode. */
  readonly details: string;
}

export function startAuditEntries(started: readonly ExecutionRecord[]): StartAuditEntry[] {
  return [...started]
    .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => ({
      ts: e.created_at,
      actor: e.mode === 'trigger' && e.trigger_type !== null ? `trigger:${e.trigger_type}` : 'engine',
      resourceId: e.id,
      details: JSON.stringify({ workflow_id: e.workflow_id, version: e.version, mode: e.mode }),
    }));
}

const COLUMNS = "INSERT INTO audit_log (ts, actor, action, resource_type, resource_id, details) ";

/** SQLite: one prepared row insert per entry. */
export const START_AUDIT_ROW = `${COLUMNS}VALUES (?, ?, 'execution.started', 'executions', ?, ?)`;

/** PostgreSQL: the batch's entries as four arrays (parameters $first to $first+3), one statement, in their order. */
export function startAuditArrays(first: number): string {
  const [ts, actor, id, details] = [first, first + 1, first + 2, first + 3];
  return `${COLUMNS}SELECT a.ts, a.actor, 'execution.started', 'executions', a.id, a.details ` +
    `FROM unnest($${ts}::int8[], $${actor}::text[], $${id}::text[], $${details}::jsonb[]) WITH ORDINALITY AS a(ts, actor, id, details, ord) ORDER BY a.ord`;
}
