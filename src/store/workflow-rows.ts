import type {
  NodeType,
  RetryPolicy,
  VariableDefinition,
  VariableType,
  Viewport,
  WorkflowDefinition,
  WorkflowEdge,
  WorkflowNode,
  WorkflowSettings,
} from '../model/types.js';
import { fromJson, toJson } from './engine-rows.js';
import type { Flag, WorkflowEdgesTable, WorkflowNodesTable, WorkflowVariablesTable, WorkflowsTable } from './schema.js';

/**
 * Definition ↔ normalized rows. Optional fields map to nullable columns and back to *absent*
 * properties, so a definition round-trips to an equal object; an explicit `null` on an optional
 * field (an edge's `condition: null`) comes back absent, which every reader treats the same.
 */

type Insertable<T> = { -readonly [K in keyof T]: T[K] };

const flag = (v: boolean | undefined): Flag | null => (v === undefined ? null : v ? 1 : 0);
const parse = <T>(text: string | null): T | undefined => fromJson(text) as T | undefined;

/** Puts `key: value` on the object only when the column held something. */
function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function workflowHeaderColumns(def: WorkflowDefinition) {
  return {
    name: def.name,
    description: def.description ?? null,
    category: def.category ?? null,
    tags: toJson(def.tags),
    settings: toJson(def.settings),
    viewport: toJson(def.viewport),
  } satisfies Partial<WorkflowsTable>;
}

export function nodeRows(workflowId: string, nodes: readonly WorkflowNode[]): Insertable<WorkflowNodesTable>[] {
  return nodes.map((n, ordinal) => ({
    workflow_id: workflowId,
    id: n.id,
    ordinal,
    node_type: n.node_type,
    label: n.label ?? null,
    position_x: n.position_x ?? null,
    position_y: n.position_y ?? null,
    config: toJson(n.config) ?? '{}',
    retry: toJson(n.retry),
    timeout_seconds: n.timeout_seconds ?? null,
    disabled: flag(n.disabled),
  }));
}

export function edgeRows(workflowId: string, edges: readonly WorkflowEdge[]): Insertable<WorkflowEdgesTable>[] {
  return edges.map((e, ordinal) => ({
    workflow_id: workflowId,
    id: e.id,
    ordinal,
    source_node_id: e.source_node_id,
    target_node_id: e.target_node_id,
    source_handle: e.source_handle ?? null,
    condition: e.condition ?? null,
  }));
}

export function variableRows(workflowId: string, vars: readonly VariableDefinition[]): Insertable<WorkflowVariablesTable>[] {
  return vars.map((v, ordinal) => ({
    workflow_id: workflowId,
    name: v.name,
    ordinal,
    type: v.type,
    default_value: toJson(v.default),
    secret: flag(v.secret),
    required: flag(v.required),
    description: v.description ?? null,
  }));
}

export interface DefinitionRows {
  readonly workflow: Pick<WorkflowsTable, 'name' | 'description' | 'category' | 'tags' | 'settings' | 'viewport'>;
  /** Each list already ordered by ordinal. */
  readonly nodes: readonly WorkflowNodesTable[];
  readonly edges: readonly WorkflowEdgesTable[];
  readonly variables: readonly WorkflowVariablesTable[];
}

export function definitionFromRows(rows: DefinitionRows): WorkflowDefinition {
  const w = rows.workflow;
  const variables = rows.variables.map(
    (v): VariableDefinition => ({
      name: v.name,
      type: v.type as VariableType,
      // SQL NULL = no default; the JSON text `null` = a null default.
      ...(v.default_value === null ? {} : { default: fromJson(v.default_value) }),
      ...opt('secret', v.secret === null ? null : v.secret === 1),
      ...opt('required', v.required === null ? null : v.required === 1),
      ...opt('description', v.description),
    }),
  );
  return {
    name: w.name,
    ...opt('description', w.description),
    ...opt('category', w.category),
    ...opt('tags', parse<string[]>(w.tags)),
    ...opt('settings', parse<WorkflowSettings>(w.settings)),
    ...(variables.length > 0 ? { variables } : {}),
    nodes: rows.nodes.map(
      (n): WorkflowNode => ({
        id: n.id,
        node_type: n.node_type as NodeType,
        ...opt('label', n.label),
        ...opt('position_x', n.position_x),
        ...opt('position_y', n.position_y),
        config: parse<Record<string, unknown>>(n.config) ?? {},
        ...opt('retry', parse<RetryPolicy>(n.retry)),
        ...opt('timeout_seconds', n.timeout_seconds),
        ...opt('disabled', n.disabled === null ? null : n.disabled === 1),
      }),
    ),
    edges: rows.edges.map(
      (e): WorkflowEdge => ({
        id: e.id,
        source_node_id: e.source_node_id,
        target_node_id: e.target_node_id,
        ...opt('source_handle', e.source_handle),
        ...opt('condition', e.condition),
      }),
    ),
    ...opt('viewport', parse<Viewport>(w.viewport)),
  };
}
