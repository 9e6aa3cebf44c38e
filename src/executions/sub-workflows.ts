import type { Kysely } from 'kysely';
import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/engine-events.js';
import type { WaitRunState } from '../engine/execution-state.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';
import type { EngineStore, ExecutionRecord } from '../engine/store-port.js';
import { ConflictError, NonRetryableError, NotFoundError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import { childOutcome, type ChildStart, type ChildStarter } from '../nodes/run-workflow.js';
import type { Database } from '../store/schema.js';
import type { WorkflowRepository } from '../store/workflow-repository.js';
import type { ExecutionStarter } from './execution-starter.js';
import { resolveWorkflowVersion } from './resolve-workflow-version.js';

const FINAL = ['completed', 'failed', 'cancelled'] as const;
const UNFINISHED = ['pending', 'running', 'waiting', 'paused'] as const;

export interface SubWorkflowsOptions {
  readonly engine: Pick<Engine, 'signal' | 'signalFailure' | 'cancel' | 'onEvent' | 'startsChildren'>;
  readonly starter: Pick<ExecutionStarter, 'child'>;
  readonly executions: Pick<EngineStore, 'getExecution'>;
  readonly workflows: Pick<WorkflowRepository, 'getWorkflow' | 'listVersions' | 'getVersion'>;
  readonly db: Kysely<Database>;
  /** ITW_MAX_WORKFLOW_DEPTH. */
  readonly maxDepth: number;
  readonly logger: Logger;
  /** How often unanswered waits and orphaned children are looked for (a crash between two commits). @default 30000 */
  readonly sweepMs?: number;
}

/**
 * Sub-workflows (the `run_workflow` node): starts children through the one start path and links them
 * to their parent; answers a waiting parent step when its child ends (the child's final commit,
 * heard as an engine event); cancels the children a finished parent was waiting for. Whatever a
 * crash between the child's commit and the parent's answer left undone, `sweep` finds in the store:
 * at start and every `sweepMs`.
 */
export class SubWorkflows implements ChildStarter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private off: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly o: SubWorkflowsOptions) {}

  async start(req: ChildStart): Promise<ExecutionRecord> {
    const version = await resolveWorkflowVersion(this.o, req.workflow, req.version);
    const parent = await this.o.executions.getExecution(req.parent.executionId);
    const depth = (parent?.depth ?? 0) + 1;
    if (depth > this.o.maxDepth) {
      throw new NonRetryableError('workflow_depth_exceeded',
        `run_workflow would nest executions ${depth} deep, over the limit of ${this.o.maxDepth} (ITW_MAX_WORKFLOW_DEPTH); does the workflow call itself?`,
        { details: { depth, limit: this.o.maxDepth } });
    }
    const started = await this.o.starter.child({
      version, input: req.input, idempotencyKey: req.idempotencyKey,
      parent: { executionId: req.parent.executionId, nodeId: req.parent.nodeId, runId: req.wait ? req.parent.runId : null, depth },
    });
    return started.execution;
  }

  /** Listens for final commits and waits parked, and sweeps now and then. */
  attach(): void {
    this.off = this.o.engine.onEvent((e) => this.heard(e));
    const ms = this.o.sweepMs ?? 30_000;
    if (ms > 0) {
      this.timer = setInterval(() => void this.sweep(), ms);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    this.off?.();
    if (this.timer) clearInterval(this.timer);
  }

  private heard(e: EngineEvent): void {
    // The committing process acts; others would only repeat it (the sweep covers a crash).
    if (e.remote || this.stopped) return;
    if (e.type === 'execution') {
      const x = e.execution;
      if (!isFinalExecutionStatus(x.status) || e.previous_status === x.status) return;
      if (x.parent_run_id !== null && x.parent_execution_id !== null) void this.answer(x.parent_execution_id, x.parent_run_id, x);
      // Only a workflow with a run_workflow step has children to look for (not a query per finished execution).
      if (this.o.engine.startsChildren(x.version_id) !== false) void this.cancelChildren(x.id);
    } else if (e.run.status === 'waiting') {
      const waiting = (e.run.state as WaitRunState | null);
      if (waiting?.wait !== 'signal' || waiting.waiting['kind'] !== 'workflow') return;
      // The child may have ended before this wait was committed: its answer was refused then.
      void this.answerIfDone(e.run.execution_id, e.run.id, String(waiting.waiting['child_execution_id']));
    }
  }

  private async answerIfDone(parentId: string, runId: string, childId: string): Promise<void> {
    const child = await this.o.executions.getExecution(childId).catch(() => undefined);
    if (child && isFinalExecutionStatus(child.status)) await this.answer(parentId, runId, child);
  }

  /** Completes (or fails) the parent's waiting step; a step no longer waiting is left alone. */
  private async answer(parentId: string, runId: string, child: ExecutionRecord): Promise<void> {
    const end = childOutcome(child);
    try {
      if ('error' in end) await this.o.engine.signalFailure(parentId, runId, 'out', end.error);
      else await this.o.engine.signal(parentId, runId, 'out', end.output);
    } catch (err) {
      if (err instanceof ConflictError || err instanceof NotFoundError || this.stopped) return;
      this.o.logger.warn({ err, execution_id: parentId, child_execution_id: child.id }, 'could not answer the parent of a finished child; the sweep will retry');
    }
  }

  /** A finished parent waits for nobody: its unfinished waited-for children are cancelled. */
  private async cancelChildren(parentId: string): Promise<void> {
    try {
      const rows = await this.o.db.selectFrom('executions').select('id')
        .where('parent_execution_id', '=', parentId).where('parent_run_id', 'is not', null).where('status', 'in', UNFINISHED).execute();
      for (const r of rows) await this.cancelQuietly(r.id);
    } catch (err) {
      if (!this.stopped) this.o.logger.warn({ err, execution_id: parentId }, 'could not cancel the children of a finished execution; the sweep will retry');
    }
  }

  private async cancelQuietly(id: string): Promise<void> {
    try {
      await this.o.engine.cancel(id);
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err;
    }
  }

  /** Answers waits whose child already ended, cancels children of finished parents. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      // Both walk from the few unfinished rows to their partners (CROSS JOIN fixes SQLite's join order;
      // PostgreSQL plans it as an inner join): driven from the finished side, they read the whole history.
      const unanswered = await this.o.db.selectFrom('node_executions as n')
        .crossJoin('executions as c')
        .select(['n.execution_id as parent_id', 'n.id as run_id', 'c.id as child_id'])
        .where('n.status', '=', 'waiting')
        .whereRef('c.parent_execution_id', '=', 'n.execution_id').whereRef('c.parent_run_id', '=', 'n.id')
        .where('c.status', 'in', FINAL).execute();
      for (const u of unanswered) await this.answerIfDone(u.parent_id, u.run_id, u.child_id);
      const orphans = await this.o.db.selectFrom('executions as c')
        .crossJoin('executions as p')
        .select('c.id').where('c.status', 'in', UNFINISHED).where('c.parent_run_id', 'is not', null)
        .whereRef('p.id', '=', 'c.parent_execution_id').where('p.status', 'in', FINAL).execute();
      for (const o of orphans) await this.cancelQuietly(o.id);
    } catch (err) {
      if (!this.stopped) this.o.logger.warn({ err }, 'sub-workflow sweep failed; it runs again later');
    }
  }
}
