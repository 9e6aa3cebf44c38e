import type { App } from '../../app.js';
import type { ExecutionRecord, VersionRecord } from '../../engine/store-port.js';
import type { WorkflowSummary } from '../../store/workflow-repository.js';
import { DefinitionInvalidError, NotFoundError } from '../../model/errors.js';
import { validateDefinition } from '../../model/validate-definition.js';
import { checkManualRun } from '../../triggers/sources/manual.js';

export interface ExecuteRequest {
  readonly workflowId: string;
  readonly input: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly test: boolean;
  readonly idempotencyKey?: string;
  readonly createdBy?: string;
}

const VERSION_CACHE_MAX = 1000;
const WORKFLOW_TTL_MS = 1000;

/**
 * Starts executions for the API: the active version, or the draft as a test run. Versions are
 * immutable, so they are cached by id: the hot path is one workflow read and the engine's commit.
 */
export class ExecutionStarter {
  private readonly versions = new Map<string, VersionRecord>();
  /**
   * Workflow rows read by execute, kept for WORKFLOW_TTL_MS: the hot path then costs no query. Any
   * workflow change made through this process clears it (forgetWorkflows); one made by another API
   * process on the same PostgreSQL is seen within the TTL.
   */
  private readonly workflows = new Map<string, { row: WorkflowSummary | undefined; at: number }>();

  constructor(private readonly app: App) {}

  forgetWorkflows(): void {
    this.workflows.clear();
  }

  private async workflow(id: string): Promise<WorkflowSummary | undefined> {
    const now = Date.now();
    const hit = this.workflows.get(id);
    if (hit && now - hit.at < WORKFLOW_TTL_MS) return hit.row;
    const row = await this.app.store.workflows.getWorkflow(id);
    if (this.workflows.size >= VERSION_CACHE_MAX) this.workflows.clear();
    this.workflows.set(id, { row, at: now });
    return row;
  }

  async version(versionId: string): Promise<VersionRecord | undefined> {
    const hit = this.versions.get(versionId);
    if (hit) return hit;
    const v = await this.app.store.workflows.getVersion(versionId);
    if (v) {
      if (this.versions.size >= VERSION_CACHE_MAX) this.versions.delete(this.versions.keys().next().value!);
      this.versions.set(versionId, v);
    }
    return v;
  }

  /** `existing` is true when the idempotency key matched an execution started before. */
  async start(req: ExecuteRequest): Promise<{ execution: ExecutionRecord; existing: boolean }> {
    const wf = await this.workflow(req.workflowId);
    if (!wf) throw new NotFoundError('workflow', req.workflowId);
    if (req.idempotencyKey !== undefined) {
      const found = await this.app.store.engine.findExecutionByIdempotencyKey(req.workflowId, req.idempotencyKey);
      if (found) return { execution: found, existing: true };
    }
    const test = req.test || wf.active_version_id === null;
    const version = test ? await this.snapshotDraft(req.workflowId, req.createdBy) : await this.version(wf.active_version_id!);
    if (!version) throw new NotFoundError('workflow version', wf.active_version_id ?? '');
    checkManualRun(version.definition, req.variables);
    const execution = await this.app.engine.startExecution({
      version, input: req.input, mode: test ? 'test' : 'manual', triggerType: 'manual',
      ...(req.variables ? { variables: req.variables } : {}),
      ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
    });
    return { execution, existing: false };
  }

  /** Validates the draft (422 with every problem) and snapshots it; an unchanged draft reuses its version. */
  async snapshotDraft(workflowId: string, createdBy?: string): Promise<VersionRecord> {
    const def = await this.app.store.workflows.getDefinition(workflowId);
    if (!def) throw new NotFoundError('workflow', workflowId);
    const checked = validateDefinition(def, this.app.catalog);
    if (!checked.ok) throw new DefinitionInvalidError(checked.problems);
    return this.app.store.workflows.snapshotVersion(workflowId, checked.definition, createdBy ? { createdBy } : {});
  }
}
