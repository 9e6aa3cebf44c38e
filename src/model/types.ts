/**
 * The workflow definition: one format for the API, files, templates and export (ARCHITECTURE.md §2).
 * Field names are the seed's snake_case. Values are readonly: a definition is data, never mutated in place.
 */

export const NODE_TYPES = [
  'trigger',
  'action',
  'condition',
  'loop',
  'parallel',
  'delay',
  'approval',
  'notification',
  'script',
  'api_call',
  'database',
  'transform',
  'error_handler',
  'run_workflow',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const BACKOFF_KINDS = ['fixed', 'exponential'] as const;
export type BackoffKind = (typeof BACKOFF_KINDS)[number];

export interface RetryPolicy {
  /** Total attempts including the first. @default 1 */
  readonly max_attempts: number;
  /** @default 'exponential' */
  readonly backoff?: BackoffKind;
  /** Delay before the second attempt. @default 1 */
  readonly initial_seconds?: number;
  /** Upper bound for one backoff wait. @default 300 */
  readonly max_seconds?: number;
}

export const ERROR_STRATEGIES = ['stop', 'continue'] as const;
export type ErrorStrategy = (typeof ERROR_STRATEGIES)[number];

export interface WorkflowSettings {
  /** Whole-execution deadline; 0 means none. @default 3600 */
  readonly timeout_seconds?: number;
  /** Retries for every node without its own `retry` when `retry_on_failure` is set. @default 0 */
  readonly max_retries?: number;
  /** @default false */
  readonly retry_on_failure?: boolean;
  /** 0 means unlimited. @default 0 */
  readonly max_concurrent_executions?: number;
  /** What an uncaught node failure does to the execution. @default 'stop' */
  readonly error_strategy?: ErrorStrategy;
  /**
   * Executions whose `key` template (evaluated at start, as data: `{{ $trigger.host }}`) gives the
   * same value run at most `limit` at a time; the rest wait `pending`, in order, durably. @default none
   */
  readonly concurrency?: ConcurrencySetting;
}

export interface ConcurrencySetting {
  readonly key: string;
  readonly limit: number;
}

export const VARIABLE_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableDefinition {
  readonly name: string;
  readonly type: VariableType;
  readonly default?: unknown;
  readonly secret?: boolean;
  readonly description?: string;
  readonly required?: boolean;
}

export interface WorkflowNode {
  readonly id: string;
  readonly node_type: NodeType;
  readonly label?: string;
  readonly position_x?: number;
  readonly position_y?: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly retry?: RetryPolicy;
  readonly timeout_seconds?: number;
  readonly disabled?: boolean;
}

export interface WorkflowEdge {
  readonly id: string;
  readonly source_node_id: string;
  readonly target_node_id: string;
  /** Handle of the source node this edge leaves from; defaults to the node type's default handle. */
  readonly source_handle?: string | null;
  /** Raw JSONata evaluated with the source node's output as `$input`; the edge fires only when true. */
  readonly condition?: string | null;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface WorkflowDefinition {
  readonly name: string;
  readonly description?: string;
  readonly category?: string;
  readonly tags?: readonly string[];
  readonly settings?: WorkflowSettings;
  readonly variables?: readonly VariableDefinition[];
  readonly nodes: readonly WorkflowNode[];
  readonly edges: readonly WorkflowEdge[];
  readonly viewport?: Viewport;
}

/** Settings with every default applied. */
export type ResolvedSettings = Required<Omit<WorkflowSettings, 'concurrency'>> & { readonly concurrency: ConcurrencySetting | null };

export const DEFAULT_SETTINGS: ResolvedSettings = {
  timeout_seconds: 3600,
  max_retries: 0,
  retry_on_failure: false,
  max_concurrent_executions: 0,
  error_strategy: 'stop',
  concurrency: null,
};

export function resolveSettings(settings: WorkflowSettings | undefined): ResolvedSettings {
  return { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
}
