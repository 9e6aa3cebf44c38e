import type { Engine, StartRequest } from '../engine/engine.js';
import { ChurnMap } from '../engine/churn-map.js';
import type { ParentLink, RetryPlan } from '../engine/engine-options.js';
import type { EngineStore, ExecutionRecord, VersionRecord } from '../engine/store-port.js';
import { DefinitionInvalidError, NotFoundError } from '../model/errors.js';
import { checkManualRun } from '../model/manual-run.js';
import type { Catalog } from '../model/node-spec.js';
import { validateDefinition } from '../model/validate-definition.js';
import type { WorkflowRepository } from '../store/workflow-repository.js';
import { VersionCache } from './version-cache.js';

export interface ExecutionStarterOptions {
  readonly engine: Pick<Engine, 'startExecution'>;
  readonly executions: Pick<EngineStore, 'findExecutionByIdempotencyKey'>;
  readonly workflows: Pick<WorkflowRepository, 'getWorkflow' | 'getVersion' | 'getDefinition' | 'snapshotVersion'>;
  /** What a draft is validated against before a test run snapshots it. */
  readonly catalog: Catalog;
  /** Wall time for the workflow-row TTL (version-cache.ts); tests pass a fake clock's. @default Date.now */
  readonly now?: () => number;
}

/** A start by a person: the API's execute route and `itw run`. */
export interface ManualStart {
  readonly workflowId: string;
  readonly input: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Run the current draft as a test run. A workflow without an active version always runs its draft. */
  readonly test: boolean;
  /** Run this version (the CLI runs the file it just stored) instead of the active one. */
  readonly versionId?: string;
  readonly idempotencyKey?: string;
  readonly createdBy?: string;
}

/** A start by a trigger binding: its pinned version, from its own entry node. */
export interface TriggeredStart {
  readonly workflowId: string;
  readonly versionId: string;
  readonly triggerType: string;
  readonly entryNodeId: string | null;
  readonly input: unknown;
  readonly idempotencyKey: string | null;
  /** Called with the outcome once a NEW execution is final (not for an existing one the key found). */
  readonly onFinal?: StartRequest['onFinal'];
}

/** A start by a `run_workflow` step (sub-workflows.ts): a version already chosen, the parent recorded. */
export interface ChildStartRequest {
  readonly version: VersionRecord;
  readonly input: unknown;
  readonly parent: ParentLink;
  /** The parent step's idempotency key. */
  readonly idempotencyKey: string;
}

/** A retry (POST /executions/{id}/retry): the version and plan are decided by retry-planner.ts. */
export interface RetryStart {
  readonly original: ExecutionRecord;
  readonly version: VersionRecord;
  readonly plan: RetryPlan;
  readonly variables?: Readonly<Record<string, unknown>>;
}

export interface Started {
  readonly execution: ExecutionRecord;
  /** True when the idempotency key matched an execution started before (or being started now). */
  readonly existing: boolean;
}

/**
 * The one way an execution is started (API, CLI, triggers). Idempotency is decided here: a key
 * already used for the workflow answers with its execution, and concurrent starts with one key in
 * this process share one start. (The engine still turns a unique-key race with another process into
 * the winner's execution; that is the database's guarantee, not a second policy.)
 */
export class ExecutionStarter {
  readonly cache: VersionCache;
  private readonly inFlight: Map<string, Promise<Started>> = new ChurnMap();

  constructor(private readonly o: ExecutionStarterOptions) {
    this.cache = new VersionCache(o.workflows, o.now);
  }

  /** Call after a workflow was activated, deactivated or deleted through this process. */
  invalidate(workflowId: string): void {
    this.cache.invalidate(workflowId);
  }

  version(versionId: string): Promise<VersionRecord | undefined> {
    return this.cache.version(versionId);
  }

  async requireVersion(versionId: string): Promise<VersionRecord> {
    const v = await this.cache.version(versionId);
    if (!v) throw new NotFoundError('workflow version', versionId);
    return v;
  }

  async manual(req: ManualStart): Promise<Started> {
    const wf = await this.cache.workflow(req.workflowId);
    if (!wf) throw new NotFoundError('workflow', req.workflowId);
    return this.once(req.workflowId, req.idempotencyKey ?? null, async (key) => {
      const test = req.versionId === undefined && (req.test || wf.active_version_id === null);
      const version = test
        ? await this.snapshotDraft(req.workflowId, req.createdBy)
        : await this.requireVersion(req.versionId ?? wf.active_version_id!);
      checkManualRun(version.definition, req.variables);
      return this.o.engine.startExecution({
        version, input: req.input, mode: test ? 'test' : 'manual', triggerType: 'manual', idempotencyKey: key,
        ...(req.variables ? { variables: req.variables } : {}),
      });
    });
  }

  triggered(req: TriggeredStart): Promise<Started> {
    return this.once(req.workflowId, req.idempotencyKey, async (key) => {
      const version = await this.requireVersion(req.versionId);
      return this.o.engine.startExecution({
        version, input: req.input, mode: 'trigger', triggerType: req.triggerType, idempotencyKey: key,
        ...(req.entryNodeId !== null ? { entryNodeIds: [req.entryNodeId] } : {}),
        ...(req.onFinal ? { onFinal: req.onFinal } : {}),
      });
    });
  }

  child(req: ChildStartRequest): Promise<Started> {
    return this.once(req.version.workflow_id, req.idempotencyKey, (key) =>
      this.o.engine.startExecution({
        version: req.version, input: req.input, mode: 'trigger', triggerType: 'run_workflow', idempotencyKey: key, parent: req.parent,
      }),
    );
  }

  retry(req: RetryStart): Promise<Started> {
    const o = req.original;
    return this.once(req.version.workflow_id, null, () =>
      this.o.engine.startExecution({
        version: req.version, input: o.input_data, mode: o.mode, triggerType: o.trigger_type, retry: req.plan,
        ...(o.entry_node_ids ? { entryNodeIds: o.entry_node_ids } : {}),
        ...(req.variables ? { variables: req.variables } : {}),
      }),
    );
  }

  /** Validates the draft (422 with every problem) and snapshots it; an unchanged draft reuses its version. */
  async snapshotDraft(workflowId: string, createdBy?: string): Promise<VersionRecord> {
    const def = await this.o.workflows.getDefinition(workflowId);
    if (!def) throw new NotFoundError('workflow', workflowId);
    const checked = validateDefinition(def, this.o.catalog);
    if (!checked.ok) throw new DefinitionInvalidError(checked.problems);
    const version = await this.o.workflows.snapshotVersion(workflowId, checked.definition, createdBy ? { createdBy } : {});
    this.cache.remember(version);
    return version;
  }

  /** The idempotency decision: an execution already holding the key, one being started with it, or a new one. */
  private once(workflowId: string, key: string | null, start: (key: string | null) => Promise<ExecutionRecord>): Promise<Started> {
    if (key === null) return start(null).then((execution) => ({ execution, existing: false }));
    const slot = `${workflowId}\u0000${key}`;
    const pending = this.inFlight.get(slot);
    if (pending) return pending.then((s) => ({ execution: s.execution, existing: true }));
    const p = (async (): Promise<Started> => {
      const found = await this.o.executions.findExecutionByIdempotencyKey(workflowId, key);
      if (found) return { execution: found, existing: true };
      return { execution: await start(key), existing: false };
    })().finally(() => this.inFlight.delete(slot));
    this.inFlight.set(slot, p);
    return p;
  }
}
