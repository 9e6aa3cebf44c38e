import type { StoreDialect } from './dialect.js';

/**
 * The audit log's `execution.started` entries (ARCHITECTURE.md §6: every execution start is
 * audited), written by the same transaction that inserts the executions: there is no start without
 * its entry and no entry for a start that rolled back, whichever process or source started it. Derived
 * from the rows just written, so a whole commit batch is one statement. `idMatch` selects the batch's
 * new executions (`e.id IN (...)` on SQLite, `= ANY($1)` on PostgreSQL).
 */
export function startAuditStatement(dialect: StoreDialect, idMatch: string): string {
  const details = dialect === 'sqlite'
    ? "json_object('workflow_id', e.workflow_id, 'version', e.version, 'mode', e.mode)"
    : "jsonb_build_object('workflow_id', e.workflow_id, 'version', e.version, 'mode', e.mode)";
  return 'INSERT INTO audit_log (ts, actor, action, resource_type, resource_id, details) ' +
    "SELECT e.created_at, CASE WHEN e.mode = 'trigger' AND e.trigger_type IS NOT NULL THEN 'trigger:' || e.trigger_type ELSE 'engine' END, " +
    `'execution.started', 'executions', e.id, ${details} FROM executions e WHERE ${idMatch} ORDER BY e.created_at, e.id`;
}
