import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** An approval node parked on a signal, as the approval node stored it (nodes/approval.ts). */
export interface WaitingApproval {
  readonly run_id: string;
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly node_id: string;
  readonly scope: string;
  readonly message: string;
  /** Usernames that may answer; empty = any operator. */
  readonly approvers: readonly string[];
  /** What approving will do, one line per next step. */
  readonly plan: readonly string[];
  readonly requested_at: number | null;
  /** When the `timeout` handle fires; null = waits forever. */
  readonly expires_at: number | null;
  /** The Slack channel the approval is posted to (ChatOps), if it names one. */
  readonly slack_channel: string | undefined;
}

export type ApprovalLookup =
  | { readonly found: false }
  /** `approval` is undefined when the run exists but is not (or no longer) waiting for an answer. */
  | { readonly found: true; readonly status: string; readonly approval: WaitingApproval | undefined };

interface Row {
  id: string;
  execution_id: string;
  workflow_id: string;
  node_id: string;
  scope: string;
  status: string;
  execution_status: string;
  state: string | null;
  started_at: number | null;
  wake_at: number | null;
}

const FINAL = ['completed', 'failed', 'cancelled'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The row as an approval, when its engine state says it waits for an approval's answer. */
function toApproval(r: Row): WaitingApproval | undefined {
  if (r.status !== 'waiting' || FINAL.includes(r.execution_status) || r.state === null) return undefined;
  // PostgreSQL's jsonb comes back as text (connect.ts), SQLite's TEXT too: both parse alike.
  const state = JSON.parse(r.state) as { wait?: unknown; waiting?: Record<string, unknown> } | null;
  const w = state?.waiting;
  if (state?.wait !== 'signal' || w?.['kind'] !== 'approval') return undefined;
  return {
    run_id: r.id, execution_id: r.execution_id, workflow_id: r.workflow_id, node_id: r.node_id, scope: r.scope,
    message: typeof w['message'] === 'string' ? w['message'] : '', approvers: strings(w['approvers']), plan: strings(w['plan']),
    requested_at: r.started_at === null ? null : Number(r.started_at), expires_at: r.wake_at === null ? null : Number(r.wake_at),
    slack_channel: typeof w['slack_channel'] === 'string' ? w['slack_channel'] : undefined,
  };
}

/**
 * Approvals waiting for an answer, across executions: node executions in status `waiting` whose state
 * is an approval's signal wait, joined to their execution for the workflow id. Kind is checked in
 * JS rather than SQL: the JSON text differs between dialects (jsonb adds spaces), the partial index
 * node_executions_waiting_idx (migration 006) keeps the scan to waiting rows.
 */
export class ApprovalQueries {
  constructor(private readonly db: Kysely<Database>) {}

  private select() {
    return this.db
      .selectFrom('node_executions as n')
      .innerJoin('executions as x', 'x.id', 'n.execution_id')
      .select(['n.id', 'n.execution_id', 'x.workflow_id', 'n.node_id', 'n.scope', 'n.status', 'x.status as execution_status', 'n.state', 'n.started_at', 'n.wake_at']);
  }

  /** Oldest request first; executions already finished are left out. */
  async listWaiting(f: { workflowId?: string | undefined; executionId?: string | undefined } = {}): Promise<WaitingApproval[]> {
    let q = this.select().where('n.status', '=', 'waiting').where('x.status', 'not in', FINAL);
    if (f.workflowId !== undefined) q = q.where('x.workflow_id', '=', f.workflowId);
    if (f.executionId !== undefined) q = q.where('n.execution_id', '=', f.executionId);
    const rows = await q.orderBy('n.id').execute();
    return rows.map(toApproval).filter((a): a is WaitingApproval => a !== undefined);
  }

  /** One node execution by id, and its approval if it is still waiting for an answer. */
  async find(runId: string): Promise<ApprovalLookup> {
    const row = await this.select().where('n.id', '=', runId).executeTakeFirst();
    if (!row) return { found: false };
    return { found: true, status: row.status, approval: toApproval(row) };
  }
}
