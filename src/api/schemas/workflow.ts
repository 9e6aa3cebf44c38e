import { Type } from '@sinclair/typebox';
import { RetryPolicySchema, SettingsSchema, VariableSchema, ViewportSchema } from '../../model/definition-schema.js';
import { NODE_TYPES } from '../../model/types.js';
import { PreflightProblemSchema } from './preflight.js';
import { IsoTime, JsonObject, Nullable, NullableIsoTime, RevisionBody, stringEnum } from './common.js';

const strict = { additionalProperties: false } as const;

export const NodeTypeEnum = stringEnum(NODE_TYPES);

const nodeFields = {
  node_type: NodeTypeEnum,
  label: Type.Optional(Type.String()),
  position_x: Type.Optional(Type.Number()),
  position_y: Type.Optional(Type.Number()),
  config: Type.Optional(JsonObject),
  retry: Type.Optional(RetryPolicySchema),
  timeout_seconds: Type.Optional(Type.Number({ minimum: 0 })),
  disabled: Type.Optional(Type.Boolean()),
};

/** A node as the API takes it: `id` is generated (`node_...`) when absent. */
export const NodeInputSchema = Type.Object({ id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...nodeFields }, strict);

export const NodeBodySchema = Type.Object({ id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...nodeFields, ...RevisionBody }, strict);

export const NodePatchSchema = Type.Object(
  {
    label: Type.Optional(Type.String()),
    position_x: Type.Optional(Type.Number()),
    position_y: Type.Optional(Type.Number()),
    config: Type.Optional(JsonObject),
    retry: Type.Optional(Nullable(RetryPolicySchema)),
    timeout_seconds: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    disabled: Type.Optional(Type.Boolean()),
    ...RevisionBody,
  },
  strict,
);

const edgeFields = {
  source_node_id: Type.String({ minLength: 1 }),
  target_node_id: Type.String({ minLength: 1 }),
  source_handle: Type.Optional(Nullable(Type.String({ minLength: 1 }))),
  condition: Type.Optional(Nullable(Type.String({ description: 'JSONata evaluated on the source output; the edge fires only when true' }))),
};

export const EdgeInputSchema = Type.Object({ id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...edgeFields }, strict);
export const EdgeBodySchema = Type.Object({ id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...edgeFields, ...RevisionBody }, strict);

const headerFields = {
  description: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  settings: Type.Optional(SettingsSchema),
  variables: Type.Optional(Type.Array(VariableSchema)),
  viewport: Type.Optional(ViewportSchema),
  nodes: Type.Optional(Type.Array(NodeInputSchema)),
  edges: Type.Optional(Type.Array(EdgeInputSchema)),
};

export const WorkflowCreateSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...headerFields }, strict);

/** Fields present replace the draft's; absent ones stay. */
export const WorkflowUpdateSchema = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...headerFields, ...RevisionBody }, strict);

export const WorkflowStatusEnum = stringEnum(['draft', 'active', 'inactive'] as const);

export const WorkflowListQuery = Type.Object(
  {
    status: Type.Optional(WorkflowStatusEnum),
    category: Type.Optional(Type.String()),
    tag: Type.Optional(Type.String()),
    q: Type.Optional(Type.String({ description: 'substring of the name, case-insensitive' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  strict,
);

const summaryFields = {
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  category: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  status: WorkflowStatusEnum,
  active_version_id: Nullable(Type.String()),
  active_version: Nullable(Type.Integer()),
  draft_revision: Type.Integer(),
  created_at: IsoTime,
  updated_at: IsoTime,
};

export const WorkflowSummarySchema = Type.Object({ ...summaryFields, node_count: Type.Integer() }, { additionalProperties: true });

export const WorkflowSchema = Type.Object(
  {
    ...summaryFields,
    settings: Type.Unknown(),
    variables: Type.Array(Type.Unknown()),
    viewport: Type.Unknown(),
    nodes: Type.Array(Type.Unknown()),
    edges: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** What activate answers: the workflow, and the preflight's warnings (empty when there are none). */
export const ActivatedWorkflowSchema = Type.Object(
  { ...WorkflowSchema.properties, warnings: Type.Array(PreflightProblemSchema) },
  { additionalProperties: true },
);

export const WorkflowListSchema = Type.Object({
  items: Type.Array(WorkflowSummarySchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const VersionSchema = Type.Object(
  { id: Type.String(), workflow_id: Type.String(), version: Type.Integer(), active: Type.Boolean(), created_at: IsoTime, definition: Type.Optional(Type.Unknown()) },
  { additionalProperties: true },
);

export const TriggerSchema = Type.Object(
  {
    id: Type.String(), workflow_id: Type.String(), trigger_type: Type.String(), config: JsonObject, enabled: Type.Boolean(), status: Type.String(),
    last_fired_at: NullableIsoTime, last_error: Nullable(Type.String()), fire_count: Type.Integer(), created_at: IsoTime,
    dropped_count: Type.Integer({ description: 'Events refused by the trigger\'s rate_limit' }),
    debounced_count: Type.Integer({ description: 'Events its debounce_seconds folded into a later one' }),
  },
  { additionalProperties: true },
);
