import type { Selectable } from 'kysely';
import { jsonText } from '../model/json-text.js';
import type { ErrorRecord } from '../model/errors.js';
import type { ExecutionMode, ExecutionStatus, NodeStatus } from '../engine/statuses.js';
import type { ExecutionRecord, LogRecord, NodeRunRecord } from '../engine/store-port.js';
import { jsonTextOf } from './payload-compression.js';
import { PayloadRef, refColumns } from './payload-refs.js';
import type { ExecutionLogsTable, ExecutionsTable, Json, NodeExecutionsTable } from './schema.js';

/**
 * Record ↔ row mapping shared by both dialects' engine stores. Column lists are fixed arrays so the
 * SQLite store can bind positional parameters to cached statements and the PostgreSQL store can build
 * one array per column for `unnest`.
 */

export type SqlValue = string | number | null;

/** `undefined` (and anything JSON cannot hold) becomes SQL NULL; JSON `null` stays the text `null`. */
export function toJson(value: unknown): Json | null {
  return jsonText(value) ?? null;
}

/** Inverse of toJson for `unknown` fields: SQL NULL reads back as `undefined`. */
export function fromJson(text: Json | null): unknown {
  return text === null ? undefined : (JSON.parse(jsonTextOf(text)) as unknown);
}

/** For fields typed `T | null`: SQL NULL reads back as `null`. */
function fromJsonOrNull<T>(text: Json | null): T | null {
  return text === null ? null : (JSON.parse(jsonTextOf(text)) as T);
}

// Durations are whole milliseconds (BIGINT); a fractional clock reading must not fail the commit on PostgreSQL.
function durationToDb(v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : Math.round(v);
}

export const EXECUTION_COLUMNS = [
  'id', 'workflow_id', 'version_id', 'version', 'status', 'mode', 'trigger_type', 'input_data', 'variables',
  'output', 'error', 'idempotency_key', 'deadline_at', 'created_at', 'started_at', 'finished_at', 'duration_ms',
  'entry_node_ids', 'parent_execution_id', 'parent_node_id', 'parent_run_id', 'depth', 'retry_of', 'concurrency_key',
] as const satisfies readonly (keyof ExecutionsTable)[];

export const RUN_COLUMNS = [
  'id', 'execution_id', 'node_id', 'scope', 'attempt', 'status', 'input', 'output', 'error', 'fired_edges',
  'wake_at', 'started_at', 'finished_at', 'duration_ms', 'lease_owner', 'lease_expires_at', 'lease_token', 'state',
  'input_ref', 'output_ref',
] as const satisfies readonly (keyof NodeExecutionsTable)[];

export const LOG_COLUMNS = [
  'execution_id', 'node_id', 'scope', 'attempt', 'level', 'message', 'data', 'ts',
] as const satisfies readonly (keyof ExecutionLogsTable)[];

const EXECUTION_JSON = new Set(['input_data', 'variables', 'output', 'error', 'entry_node_ids']);
const RUN_JSON = new Set(['input', 'output', 'error', 'fired_edges', 'state']);
const PATCHABLE_EXECUTION = new Set<string>(EXECUTION_COLUMNS.slice(4).filter((c) => c !== 'created_at'));
const PATCHABLE_RUN = new Set<string>(RUN_COLUMNS.slice(5));

export function executionValues(e: ExecutionRecord): SqlValue[] {
  return [
    e.id, e.workflow_id, e.version_id, e.version, e.status, e.mode, e.trigger_type, toJson(e.input_data),
    toJson(e.variables), toJson(e.output), toJson(e.error), e.idempotency_key, e.deadline_at, e.created_at,
    e.started_at, e.finished_at, durationToDb(e.duration_ms), toJson(e.entry_node_ids),
    e.parent_execution_id, e.parent_node_id, e.parent_run_id, e.depth, e.retry_of, e.concurrency_key ?? null,
  ];
}

export function runValues(r: NodeRunRecord): SqlValue[] {
  const [input, inputRef] = refColumns(r.input);
  const [output, outputRef] = refColumns(r.output);
  return [
    r.id, r.execution_id, r.node_id, r.scope, r.attempt, r.status, toJson(input), toJson(output),
    toJson(r.error), toJson(r.fired_edges), r.wake_at, r.started_at, r.finished_at, durationToDb(r.duration_ms),
    r.lease_owner, r.lease_expires_at, r.lease_token, toJson(r.state), inputRef, outputRef,
  ];
}

export function logValues(l: LogRecord): SqlValue[] {
  return [l.execution_id, l.node_id, l.scope, l.attempt, l.level, l.message, toJson(l.data), l.ts];
}

export interface PatchColumns {
  /** Sorted column names: with `kind`, the key of a cached UPDATE statement. */
  readonly columns: readonly string[];
  readonly values: SqlValue[];
}

const SQL_NULL = Symbol('SQL NULL');
/** Run fields that may be stored as a reference (payload-refs.ts): setting one sets its `_ref` column too. */
const REF_FIELDS = new Set(['input', 'output']);

function patchColumns(patch: object, allowed: ReadonlySet<string>, json: ReadonlySet<string>, table: string): PatchColumns {
  // Keys whose value is `undefined` were not given (spread semantics); `null` clears a column.
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (table !== 'node_executions' || !REF_FIELDS.has(key)) {
      entries.push([key, value]);
      continue;
    }
    // Writing a value clears a reference written before, and the other way round.
    const [stored, ref] = refColumns(value);
    entries.push([key, ref === null ? stored : SQL_NULL], [`${key}_ref`, ref ?? SQL_NULL]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const columns: string[] = [];
  const values: SqlValue[] = [];
  for (const [key, value] of entries) {
    // Column names end up inside SQL text: only known columns get there.
    if (!allowed.has(key)) throw new Error(`cannot patch ${table}.${key}`);
    columns.push(key);
    if (value === SQL_NULL) values.push(null);
    else if (json.has(key)) values.push(toJson(value));
    else if (key === 'duration_ms') values.push(durationToDb(value as number | null));
    else values.push(value as SqlValue);
  }
  return { columns, values };
}

export function executionPatchColumns(patch: object): PatchColumns {
  return patchColumns(patch, PATCHABLE_EXECUTION, EXECUTION_JSON, 'executions');
}

export function runPatchColumns(patch: object): PatchColumns {
  return patchColumns(patch, PATCHABLE_RUN, RUN_JSON, 'node_executions');
}

export function executionFromRow(row: Selectable<ExecutionsTable>): ExecutionRecord {
  return {
    id: row.id,
    workflow_id: row.workflow_id,
    version_id: row.version_id,
    version: row.version,
    status: row.status as ExecutionStatus,
    mode: row.mode as ExecutionMode,
    trigger_type: row.trigger_type,
    input_data: fromJson(row.input_data),
    variables: fromJsonOrNull<Record<string, unknown>>(row.variables) ?? {},
    output: fromJson(row.output),
    error: fromJsonOrNull<ErrorRecord>(row.error),
    idempotency_key: row.idempotency_key,
    deadline_at: row.deadline_at,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    duration_ms: row.duration_ms,
    entry_node_ids: fromJsonOrNull<string[]>(row.entry_node_ids),
    parent_execution_id: row.parent_execution_id ?? null,
    parent_node_id: row.parent_node_id ?? null,
    parent_run_id: row.parent_run_id ?? null,
    depth: Number(row.depth ?? 0),
    retry_of: row.retry_of ?? null,
    // Present only when set: executions of workflows without settings.concurrency read as before.
    ...(row.concurrency_key !== null && row.concurrency_key !== undefined ? { concurrency_key: row.concurrency_key } : {}),
  };
}

export function runFromRow(row: NodeExecutionsTable): NodeRunRecord {
  return {
    id: row.id,
    execution_id: row.execution_id,
    node_id: row.node_id,
    scope: row.scope,
    attempt: row.attempt,
    status: row.status as NodeStatus,
    // A reference stays a PayloadRef here; the reads resolve it (engine-store-reads.ts).
    input: row.input_ref === null ? fromJson(row.input) : new PayloadRef(row.input_ref),
    output: row.output_ref === null ? fromJson(row.output) : new PayloadRef(row.output_ref),
    error: fromJsonOrNull<ErrorRecord>(row.error),
    fired_edges: fromJsonOrNull<string[]>(row.fired_edges),
    wake_at: row.wake_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    duration_ms: row.duration_ms,
    lease_owner: row.lease_owner,
    lease_expires_at: row.lease_expires_at,
    lease_token: row.lease_token,
    state: fromJson(row.state),
  };
}

export function logFromRow(row: Omit<ExecutionLogsTable, 'id'>): LogRecord {
  return {
    execution_id: row.execution_id,
    node_id: row.node_id,
    scope: row.scope,
    attempt: row.attempt,
    level: row.level,
    message: row.message,
    data: fromJson(row.data),
    ts: row.ts,
  };
}
