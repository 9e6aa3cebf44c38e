/** The HTTP API's shapes as the UI reads them (docs/API.md; src/api/schemas are the source of truth). */
import type { JsonObject, Role } from './base-types';
import type { Incident, INCIDENT_STATUSES } from './ops-types';
import type { ItemOf, JsonAnswer, JsonBody, Known } from './schema-types';

export { ROLES } from './base-types';
export type { JsonObject, Role } from './base-types';

export type Me = JsonAnswer<'/auth/me', 'get'>;

export const NODE_TYPES = [
  'trigger', 'action', 'condition', 'loop', 'parallel', 'delay', 'approval',
  'notification', 'script', 'api_call', 'database', 'transform', 'error_handler', 'run_workflow',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** A workflow definition as the API takes it (POST /automation/workflows). */
type DefinitionInput = JsonBody<'/automation/workflows', 'post'>;

/** A node and an edge as the API takes them in a definition: no nulls, `id` generated when absent. */
export type NodeInput = NonNullable<DefinitionInput['nodes']>[number];
export type EdgeInput = NonNullable<DefinitionInput['edges']>[number];

export type RetryPolicy = NonNullable<NodeInput['retry']>;

/**
 * A node as the UI reads and edits it. Narrower than the server's answer, whose schema gives
 * `nodes: unknown[]`; `retry` and `timeout_seconds` may be null while editing (PATCH takes null).
 */
export interface WorkflowNode {
  readonly id: string;
  readonly node_type: NodeType;
  readonly label?: string;
  readonly position_x?: number;
  readonly position_y?: number;
  readonly config: JsonObject;
  readonly retry?: RetryPolicy | null;
  readonly timeout_seconds?: number | null;
  readonly disabled?: boolean;
}

export interface WorkflowEdge {
  readonly id: string;
  readonly source_node_id: string;
  readonly target_node_id: string;
  readonly source_handle?: string | null;
  readonly condition?: string | null;
}

export type Variable = NonNullable<DefinitionInput['variables']>[number];
export type Viewport = NonNullable<DefinitionInput['viewport']>;

export const WORKFLOW_STATUSES = ['draft', 'active', 'inactive'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export type WorkflowSummary = ItemOf<'/automation/workflows', 'get'>;

/**
 * GET /automation/workflows/{id}. The schema gives the definition parts as `unknown` / `unknown[]`;
 * the UI reads them as the definition types it edits.
 */
export type Workflow = Omit<JsonAnswer<'/automation/workflows/{id}', 'get'>, 'settings' | 'variables' | 'viewport' | 'nodes' | 'edges'> & {
  readonly settings: JsonObject;
  readonly variables: readonly Variable[];
  readonly viewport: Viewport | null;
  readonly nodes: readonly WorkflowNode[];
  readonly edges: readonly WorkflowEdge[];
};

/** A definition document (docs/WORKFLOWS.md): what export gives, import and templates take. */
export interface DefinitionDocument {
  readonly name: string;
  readonly description?: string;
  readonly category?: string;
  readonly tags?: readonly string[];
  readonly settings?: JsonObject;
  readonly variables?: readonly Variable[];
  readonly nodes: readonly WorkflowNode[];
  readonly edges?: readonly WorkflowEdge[];
  readonly viewport?: Viewport;
}

/** A workflow version; the schema's `definition` is `unknown`, read here as a definition document. */
export type Version = Omit<JsonAnswer<'/automation/workflows/{id}/versions/{version}', 'get'>, 'definition'> & { readonly definition?: DefinitionDocument };

export const EXECUTION_STATUSES = ['pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const NODE_RUN_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'] as const;
export type NodeRunStatus = (typeof NODE_RUN_STATUSES)[number];

export type ExecutionSummary = ItemOf<'/automation/executions', 'get'>;
export type ErrorRecord = NonNullable<ExecutionSummary['error']>;

type ExecutionAnswer = JsonAnswer<'/automation/executions/{id}', 'get'>;

/** A sub-workflow's child or a retry, as the execution detail links them. */
export type LinkedExecution = ExecutionAnswer['children'][number];

/**
 * An execution without its node runs; the schema's `variables` is `unknown`, an object here. The
 * links to children and retries come with the detail only (not with control answers or events).
 */
export type Execution = Omit<ExecutionAnswer, 'nodes' | 'variables' | 'children' | 'retries'> & {
  readonly variables: JsonObject;
  readonly children?: readonly LinkedExecution[];
  readonly retries?: readonly LinkedExecution[];
};

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly data: unknown;
  readonly ts: string;
}

/**
 * A node run. The schema says `logs: unknown[]`; the UI reads the log lines it lists (also what the
 * SSE stream sends, where `execution_id` and `wake_at` come along).
 */
export type NodeRun = Omit<Known<ExecutionAnswer['nodes'][number]>, 'logs'> & {
  readonly execution_id?: string;
  readonly wake_at?: string | null;
  readonly logs: readonly LogLine[];
};

export type ExecutionDetail = Execution & { readonly nodes: readonly NodeRun[] };

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor?: string | null;
  readonly total?: number;
}

/** A node type; the schema says `type: string` and `config_schema: unknown`, the UI keys its palette by NodeType. */
export type NodeTypeInfo = Omit<ItemOf<'/automation/node-types', 'get'>, 'type' | 'config_schema'> & {
  readonly type: NodeType;
  readonly config_schema: JsonObject;
};

/** A catalogue action; the schema's `params` and `output` (JSON Schemas) are `unknown`, objects here. */
export type ActionInfo = Omit<ItemOf<'/automation/actions', 'get'>, 'params' | 'output'> & {
  readonly params: JsonObject;
  readonly output: JsonObject;
};

/** A trigger type. The schema has no `config_schema`; the editor shows a form when a server sends one. */
export type TriggerTypeInfo = ItemOf<'/automation/trigger-types', 'get'> & { readonly config_schema?: JsonObject };

export type TriggerRegistration = ItemOf<'/automation/workflows/{id}/triggers', 'get'>;

/** A template; the schema's `definition` is `unknown`, read here as a definition document. */
export type Template = Omit<JsonAnswer<'/automation/templates/{id}', 'get'>, 'definition'> & { readonly definition?: DefinitionDocument };

export type DashboardMetrics = JsonAnswer<'/automation/metrics/dashboard', 'get'>;
export type WorkflowMetrics = JsonAnswer<'/automation/workflows/{id}/metrics', 'get'>;

// Credentials, approvals, incidents, users and API keys: the operations side of the API.
export type * from './ops-types';

/** One field problem of an application/problem+json answer. */
export interface ProblemItem {
  readonly in?: string;
  readonly path?: string;
  readonly message: string;
  readonly code?: string;
  readonly node_ids?: readonly string[];
}

/**
 * The UI keeps these lists as values (menus, filters, colours); the compiler holds each equal to the
 * union the server's schema declares, so a server-side change without regenerated openapi.d.ts, or
 * a list left behind, fails `npm run typecheck` and `npm run build -w ui`.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type _RolesMatch = Holds<Same<Role, Me['role']>>;
export type _WorkflowStatusesMatch = Holds<Same<WorkflowStatus, WorkflowSummary['status']>>;
export type _ExecutionStatusesMatch = Holds<Same<ExecutionStatus, ExecutionSummary['status']>>;
export type _NodeRunStatusesMatch = Holds<Same<NodeRunStatus, Known<ExecutionAnswer['nodes'][number]>['status']>>;
export type _IncidentStatusesMatch = Holds<Same<(typeof INCIDENT_STATUSES)[number], Incident['status']>>;

/** One line a running step's process wrote (`node.output` on the execution's event stream; redacted by the server). */
export interface OutputLine {
  readonly execution_id: string;
  readonly node_id: string;
  readonly node_run_id: string;
  readonly scope: string;
  readonly attempt: number;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  readonly sequence: number;
}
