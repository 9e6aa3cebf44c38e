/** The HTTP API's shapes as the UI reads them (docs/API.md; src/api/schemas are the source of truth). */
import type { JsonBody } from './schema-types';

export const ROLES = ['viewer', 'operator', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Me {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly csrf_token?: string;
}

export const NODE_TYPES = [
  'trigger', 'action', 'condition', 'loop', 'parallel', 'delay', 'approval',
  'notification', 'script', 'api_call', 'database', 'transform', 'error_handler',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export type JsonObject = Record<string, unknown>;

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

export interface WorkflowSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly category: string | null;
  readonly tags: readonly string[];
  readonly status: WorkflowStatus;
  readonly active_version_id: string | null;
  readonly active_version: number | null;
  readonly draft_revision: number;
  readonly node_count?: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Workflow extends WorkflowSummary {
  readonly settings: JsonObject;
  readonly variables: readonly Variable[];
  readonly viewport: Viewport | null;
  readonly nodes: readonly WorkflowNode[];
  readonly edges: readonly WorkflowEdge[];
}

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

export interface Version {
  readonly id: string;
  readonly workflow_id: string;
  readonly version: number;
  readonly active: boolean;
  readonly created_at: string;
  readonly definition?: DefinitionDocument;
}

export const EXECUTION_STATUSES = ['pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const NODE_RUN_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'] as const;
export type NodeRunStatus = (typeof NODE_RUN_STATUSES)[number];

export interface ErrorRecord {
  readonly message: string;
  readonly code: string;
  readonly [k: string]: unknown;
}

export interface ExecutionSummary {
  readonly id: string;
  readonly workflow_id: string;
  readonly version: number;
  readonly status: ExecutionStatus;
  readonly mode: string;
  readonly trigger_type: string | null;
  readonly error: ErrorRecord | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
}

export interface Execution extends ExecutionSummary {
  readonly version_id: string;
  readonly input_data: unknown;
  readonly variables: JsonObject;
  readonly output: unknown;
  readonly idempotency_key: string | null;
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly data: unknown;
  readonly ts: string;
}

export interface NodeRun {
  readonly id: string;
  readonly execution_id?: string;
  readonly node_id: string;
  readonly scope: string;
  readonly attempt: number;
  readonly status: NodeRunStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: ErrorRecord | null;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
  readonly wake_at?: string | null;
  readonly logs: readonly LogLine[];
}

export interface ExecutionDetail extends Execution {
  readonly nodes: readonly NodeRun[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor?: string | null;
  readonly total?: number;
}

export interface NodeTypeInfo {
  readonly type: NodeType;
  readonly label: string;
  readonly description: string;
  readonly config_schema: JsonObject;
  readonly handles: readonly string[];
  readonly default_handle: string | null;
  readonly available: boolean;
}

export interface ActionInfo {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly params: JsonObject;
  readonly output: JsonObject;
}

export interface TriggerTypeInfo {
  readonly type: string;
  readonly label: string;
  readonly config_schema?: JsonObject;
}

export interface TriggerRegistration {
  readonly id: string;
  readonly workflow_id: string;
  readonly trigger_type: string;
  readonly config: JsonObject;
  readonly enabled: boolean;
  readonly status: string;
  readonly last_fired_at: string | null;
  readonly last_error: string | null;
  readonly fire_count: number;
  readonly created_at: string;
}

export interface Template {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly category: string | null;
  readonly tags: readonly string[];
  readonly builtin: boolean;
  readonly node_count: number;
  readonly definition?: DefinitionDocument;
}

export interface DashboardMetrics {
  readonly total_workflows: number;
  readonly active_workflows: number;
  readonly total_executions: number;
  readonly running_executions: number;
  readonly waiting_executions: number;
  readonly executions_by_status: Readonly<Record<string, number>>;
  readonly templates_available: number;
  readonly integration_actions: number;
}

export interface WorkflowMetrics {
  readonly workflow_id: string;
  readonly total_executions: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly success_rate: number | null;
  readonly duration_ms: { avg: number | null; min: number | null; max: number | null; p95: number | null; p99: number | null };
  readonly nodes: readonly { node_id: string; executions: number; failures: number; avg_duration_ms: number | null }[];
}

// Credentials, approvals, incidents and API keys: the operations side of the API.
export type * from './ops-types';

/** One field problem of an application/problem+json answer. */
export interface ProblemItem {
  readonly in?: string;
  readonly path?: string;
  readonly message: string;
  readonly code?: string;
  readonly node_ids?: readonly string[];
}
