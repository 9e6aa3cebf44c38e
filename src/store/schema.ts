import type { Generated } from 'kysely';
import type { ChatOpsTables } from './chatops-tables.js';
import type { DeploymentTables } from './deployment-tables.js';
import type { HostTables } from './host-tables.js';
import type { IncidentTables } from './incident-tables.js';
import type { TriggerTables } from './trigger-tables.js';

/**
 * Row types as both dialects return them. Conventions (kept identical on SQLite and PostgreSQL so one
 * repository serves both):
 * - `Json` columns hold serialized JSON text. PostgreSQL stores JSONB, but connect.ts makes pg hand
 *   back the raw text, so every reader parses the same way (a JSONB string `"x"` and a SQLite TEXT
 *   `"x"` both arrive as `'"x"'`).
 * - Times are epoch ms in BIGINT; connect.ts makes pg return int8 as a JS number.
 * - Booleans are 0/1 integers on both dialects: better-sqlite3 refuses JS booleans, and one
 *   representation beats a per-dialect branch in every query.
 */
export type Json = string;
export type EpochMs = number;
export type Flag = 0 | 1;

export interface WorkflowsTable {
  id: string;
  name: string;
  description: string | null;
  category: string | null;
  tags: Json | null;
  status: 'draft' | 'active' | 'inactive';
  settings: Json | null;
  viewport: Json | null;
  active_version_id: string | null;
  /** Bumped on each draft edit: the API's optimistic-concurrency token. */
  draft_revision: number;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface WorkflowVersionsTable {
  id: string;
  workflow_id: string;
  version: number;
  definition: Json;
  /** sha256 of the definition's canonical JSON: equal drafts publish one version. */
  hash: string;
  created_at: EpochMs;
  created_by: string | null;
}

export interface WorkflowNodesTable {
  workflow_id: string;
  id: string;
  /** Position in the definition's `nodes` array, so a round trip keeps the author's order. */
  ordinal: number;
  node_type: string;
  label: string | null;
  position_x: number | null;
  position_y: number | null;
  config: Json;
  retry: Json | null;
  timeout_seconds: number | null;
  disabled: Flag | null;
}

export interface WorkflowEdgesTable {
  workflow_id: string;
  id: string;
  ordinal: number;
  source_node_id: string;
  target_node_id: string;
  source_handle: string | null;
  condition: string | null;
}

export interface WorkflowVariablesTable {
  workflow_id: string;
  name: string;
  ordinal: number;
  type: string;
  default_value: Json | null;
  secret: Flag | null;
  required: Flag | null;
  description: string | null;
}

export interface ExecutionsTable {
  id: string;
  workflow_id: string;
  version_id: string;
  version: number;
  status: string;
  mode: string;
  trigger_type: string | null;
  input_data: Json | null;
  variables: Json;
  output: Json | null;
  error: Json | null;
  idempotency_key: string | null;
  deadline_at: EpochMs | null;
  created_at: EpochMs;
  started_at: EpochMs | null;
  finished_at: EpochMs | null;
  duration_ms: number | null;
  entry_node_ids: Json | null;
  parent_execution_id: string | null;
  parent_node_id: string | null;
  parent_run_id: string | null;
  depth: Generated<number>;
  retry_of: string | null;
  /** settings.concurrency.key's value for this execution (migration 014). */
  concurrency_key: string | null;
  /** The concurrency slot it holds while unfinished; unique per workflow and key (migration 014). */
  concurrency_slot: Generated<number | null>;
  /** Bumped by every transition committed under an optimistic-concurrency check (cluster mode). */
  revision: Generated<number>;
}

/** One API or worker process of a cluster, with its liveness heartbeat. */
export interface ClusterMembersTable {
  id: string;
  role: string;
  host: string;
  pid: number;
  started_at: EpochMs;
  heartbeat_at: EpochMs;
  /** JSON array of the graphile-worker worker ids this process locks jobs with. */
  queue_worker_ids: string;
}

export interface NodeExecutionsTable {
  id: string;
  execution_id: string;
  node_id: string;
  scope: string;
  attempt: number;
  status: string;
  input: Json | null;
  output: Json | null;
  error: Json | null;
  fired_edges: Json | null;
  wake_at: EpochMs | null;
  started_at: EpochMs | null;
  finished_at: EpochMs | null;
  duration_ms: number | null;
  lease_owner: string | null;
  lease_expires_at: EpochMs | null;
  lease_token: number;
  /** Engine-private resume state (a running loop's items and concurrency). */
  state: Json | null;
  /** Set instead of `input`: `@input` (the execution's input_data) or the id of a run whose output it is (payload-refs.ts). */
  input_ref: string | null;
  /** Set instead of `output`, as input_ref. */
  output_ref: string | null;
}

export interface ExecutionLogsTable {
  id: Generated<number>;
  execution_id: string;
  node_id: string | null;
  scope: string;
  attempt: number;
  level: string;
  message: string;
  data: Json | null;
  ts: EpochMs;
}

export interface WorkflowTriggersTable {
  id: string;
  workflow_id: string;
  trigger_type: string;
  config: Json;
  enabled: Flag;
  status: string;
  last_fired_at: EpochMs | null;
  last_error: string | null;
  fire_count: number;
  /** Events refused by the trigger's rate_limit (migration 014). */
  dropped_count: number;
  /** Events a debounce folded into a later one (migration 014). */
  debounced_count: number;
  created_at: EpochMs;
  /** Set when the row mirrors a trigger node of the active version (migration 007). */
  node_id: string | null;
}

/** One row per schedule tick fired: the INSERT that wins is the process that fires it (migration 007). */
export interface TriggerTicksTable {
  trigger_id: string;
  tick_at: EpochMs;
  claimed_by: string;
  claimed_at: EpochMs;
}

export interface WorkflowSchedulesTable {
  id: string;
  workflow_id: string;
  trigger_id: string | null;
  cron: string;
  timezone: string;
  next_run_at: EpochMs | null;
  last_run_at: EpochMs | null;
  enabled: Flag;
}

export interface WorkflowWebhooksTable {
  id: string;
  workflow_id: string;
  trigger_id: string | null;
  path: string;
  method: string;
  auth: Json | null;
  created_at: EpochMs;
}

export interface WorkflowTemplatesTable {
  id: string;
  name: string;
  description: string | null;
  category: string | null;
  tags: Json | null;
  definition: Json;
  builtin: Flag;
}

export interface WorkflowMetricsTable {
  workflow_id: string;
  bucket_start: EpochMs;
  executions: number;
  completed: number;
  failed: number;
  total_duration_ms: number;
}

export interface IntegrationActionsTable {
  id: string;
  name: string;
  category: string;
  description: string | null;
  params_schema: Json | null;
  custom: Flag;
}

export interface AuditLogTable {
  id: Generated<number>;
  ts: EpochMs;
  actor: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: Json | null;
}

/** Commit effects not applied yet (migration 019, deferred-effects.ts): one row per engine commit. */
export interface DeferredEffectsTable {
  id: Generated<number>;
  /** JSON text: the audit entries of started executions and the finished executions to roll up. */
  effects: string;
}

export interface UsersTable {
  id: string;
  username: string;
  /** argon2id PHC string. */
  password_hash: string;
  role: string;
  /** The Slack user who answers approvals and runs slash commands as this user (migration 016). */
  slack_user_id: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  /** sha256 hex of the whole key. */
  key_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface SessionsTable {
  id: string;
  /** sha256 hex of the cookie's token. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

export interface CredentialsTable {
  id: string;
  name: string;
  type: string;
  public_data: Json;
  /** base64(iv | tag | ciphertext) of the secret fields' JSON, AES-256-GCM. */
  secret_data: string;
  key_id: string;
  /** JSON array of host patterns the credential may be sent to; `[]`: its type's defaults (migration 009). */
  allowed_hosts: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** A sealed non-credential secret (migration 009); `owner` is the workflow it belongs to. */
export interface VaultSecretsTable {
  id: string;
  owner: string;
  /** base64(iv | tag | ciphertext) of the value's JSON, AES-256-GCM, AAD `id:owner`. */
  sealed: string;
  key_id: string;
  created_at: EpochMs;
}

/** Per workflow, hour (of finishing) and final status: execution-rollups.ts. */
export interface ExecutionRollupsTable {
  workflow_id: string;
  bucket_start: EpochMs;
  status: string;
  executions: number;
  duration_count: number;
  duration_sum: number;
  duration_min: number | null;
  duration_max: number | null;
  /** Which commit lane or process added to the row (migration 018); reads sum over shards. */
  shard: Generated<number>;
}

/** DDSketch buckets of execution durations per workflow and day (dd-sketch.ts). */
export interface DurationSketchesTable {
  workflow_id: string;
  bucket_start: EpochMs;
  idx: number;
  n: number;
  shard: Generated<number>;
}

export interface NodeRollupsTable {
  workflow_id: string;
  node_id: string;
  bucket_start: EpochMs;
  runs: number;
  failures: number;
  duration_count: number;
  duration_sum: number;
  shard: Generated<number>;
}

/** Every table of the store, as every Kysely user sees it (one type: no casts between table maps). */
export interface Database extends IncidentTables, DeploymentTables, ChatOpsTables, HostTables, TriggerTables {
  execution_rollups: ExecutionRollupsTable;
  duration_sketches: DurationSketchesTable;
  node_rollups: NodeRollupsTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  workflow_nodes: WorkflowNodesTable;
  workflow_edges: WorkflowEdgesTable;
  workflow_variables: WorkflowVariablesTable;
  executions: ExecutionsTable;
  node_executions: NodeExecutionsTable;
  execution_logs: ExecutionLogsTable;
  workflow_triggers: WorkflowTriggersTable;
  vault_secrets: VaultSecretsTable;
  trigger_ticks: TriggerTicksTable;
  cluster_members: ClusterMembersTable;
  workflow_schedules: WorkflowSchedulesTable;
  workflow_webhooks: WorkflowWebhooksTable;
  workflow_templates: WorkflowTemplatesTable;
  workflow_metrics: WorkflowMetricsTable;
  integration_actions: IntegrationActionsTable;
  audit_log: AuditLogTable;
  deferred_effects: DeferredEffectsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  credentials: CredentialsTable;
}
