import type { VersionRecord } from '../engine/store-port.js';
import type { WorkflowRepository, WorkflowSummary } from '../store/workflow-repository.js';

const MAX_ENTRIES = 1000;
/**
 * How long a workflow row may be served from memory. Changes made through this process invalidate
 * it at once (invalidate); a change made by another API process on the same PostgreSQL is seen
 * within this time.
 */
const WORKFLOW_TTL_MS = 1000;

/**
 * The one cache of the start path: workflow rows (which version is active) and versions. Versions
 * are immutable, so they are kept until evicted; workflow rows are kept briefly and dropped by
 * `invalidate` when a workflow is activated, deactivated or deleted. The hot start path then costs
 * no query before the engine's commit.
 */
export class VersionCache {
  private readonly versions = new Map<string, VersionRecord>();
  private readonly workflows = new Map<string, { row: WorkflowSummary | undefined; at: number }>();

  constructor(
    private readonly repo: Pick<WorkflowRepository, 'getWorkflow' | 'getVersion'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The workflow's row (undefined when there is none), at most WORKFLOW_TTL_MS old. */
  async workflow(id: string): Promise<WorkflowSummary | undefined> {
    const now = this.now();
    const hit = this.workflows.get(id);
    if (hit && now - hit.at < WORKFLOW_TTL_MS) return hit.row;
    const row = await this.repo.getWorkflow(id);
    if (this.workflows.size >= MAX_ENTRIES) this.workflows.clear();
    this.workflows.set(id, { row, at: now });
    return row;
  }

  async version(id: string): Promise<VersionRecord | undefined> {
    const hit = this.versions.get(id);
    if (hit) return hit;
    const v = await this.repo.getVersion(id);
    if (v) this.remember(v);
    return v;
  }

  /** A version this process just wrote (a snapshot): the next start needs no read. */
  remember(v: VersionRecord): void {
    if (this.versions.size >= MAX_ENTRIES) this.versions.delete(this.versions.keys().next().value!);
    this.versions.set(v.id, v);
  }

  /** The workflow changed (activated, deactivated, deleted): its row is read again on the next start. */
  invalidate(workflowId: string): void {
    this.workflows.delete(workflowId);
  }
}
