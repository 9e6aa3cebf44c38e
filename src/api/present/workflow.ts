import { maskTriggerSecrets } from '../../model/trigger-secret-fields.js';
import type { VersionRecord } from '../../engine/store-port.js';
import type { WorkflowDefinition } from '../../model/types.js';
import type { TriggerRecord } from '../../store/trigger-repository.js';
import type { WorkflowHeader } from '../../store/workflow-queries.js';
import { iso } from '../schemas/common.js';

export function presentSummary(h: WorkflowHeader) {
  return {
    id: h.id, name: h.name, description: h.description, category: h.category, tags: [...h.tags], status: h.status,
    active_version_id: h.active_version_id, active_version: h.active_version, draft_revision: h.draft_revision, node_count: h.node_count,
    created_at: iso(h.created_at)!, updated_at: iso(h.updated_at)!,
  };
}

/** The workflow with its draft graph: what the editor loads. */
export function presentWorkflow(h: WorkflowHeader, def: WorkflowDefinition) {
  const { node_count: _n, ...summary } = presentSummary(h);
  return {
    ...summary,
    settings: def.settings ?? {},
    variables: def.variables ?? [],
    viewport: def.viewport ?? null,
    nodes: def.nodes,
    edges: def.edges.map((e) => ({ ...e, source_handle: e.source_handle ?? null, condition: e.condition ?? null })),
  };
}

export function presentVersion(v: VersionRecord, activeVersionId: string | null, withDefinition: boolean) {
  return {
    id: v.id, workflow_id: v.workflow_id, version: v.version, active: v.id === activeVersionId, created_at: iso(v.created_at)!,
    ...(withDefinition ? { definition: v.definition } : {}),
  };
}

/** A trigger row; its secret fields only as `<field>_set: true` (write-only, whatever the role). */
export function presentTrigger(t: TriggerRecord) {
  return { ...t, config: maskTriggerSecrets(t.trigger_type, t.config), last_fired_at: iso(t.last_fired_at), created_at: iso(t.created_at)! };
}
