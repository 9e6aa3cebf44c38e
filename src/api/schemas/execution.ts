import { Type } from '@sinclair/typebox';
import { EXECUTION_STATUSES, NODE_STATUSES } from '../../engine/statuses.js';
import { IsoTime, JsonObject, Nullable, NullableIsoTime, stringEnum } from './common.js';

export const ExecuteBodySchema = Type.Object(
  {
    input_data: Type.Optional(Type.Unknown({ description: 'the entry nodes\' input and $trigger' })),
    variables: Type.Optional(JsonObject),
    mode: Type.Optional(stringEnum(['test'] as const, { description: '`test` runs the current draft instead of the active version' })),
  },
  { additionalProperties: false },
);

export const ExecutionStatusEnum = stringEnum(EXECUTION_STATUSES);

export const ExecutionListQuery = Type.Object(
  {
    workflow_id: Type.Optional(Type.String()),
    status: Type.Optional(Type.Array(ExecutionStatusEnum, { description: 'repeat or comma-separate for several' })),
    since: Type.Optional(Type.String({ description: 'ISO time: created at or after' })),
    until: Type.Optional(Type.String({ description: 'ISO time: created before' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: false },
);

const ErrorRecordSchema = Nullable(Type.Object({ message: Type.String(), code: Type.String() }, { additionalProperties: true }));

const executionFields = {
  id: Type.String(),
  workflow_id: Type.String(),
  version: Type.Integer(),
  status: ExecutionStatusEnum,
  mode: Type.String(),
  trigger_type: Nullable(Type.String()),
  error: ErrorRecordSchema,
  created_at: IsoTime,
  started_at: NullableIsoTime,
  finished_at: NullableIsoTime,
  duration_ms: Nullable(Type.Number()),
};

export const ExecutionSummarySchema = Type.Object(executionFields, { additionalProperties: true });

export const ExecutionSchema = Type.Object(
  {
    ...executionFields, version_id: Type.String(), input_data: Type.Unknown(), variables: Type.Unknown(), output: Type.Unknown(), idempotency_key: Nullable(Type.String()),
    parent_execution_id: Nullable(Type.String({ description: 'set on a child started by a run_workflow step' })),
    parent_node_id: Nullable(Type.String({ description: "the parent's run_workflow node" })),
    depth: Type.Integer({ description: '0 at the top; a child is its parent\'s depth + 1' }),
    retry_of: Nullable(Type.String({ description: 'the execution this one retries' })),
    concurrency_key: Type.Optional(Nullable(Type.String({ description: 'Value of settings.concurrency.key for this execution: a pending one waits for a slot of this key' }))),
  },
  { additionalProperties: true },
);

const LinkedExecutionSchema = Type.Object({
  id: Type.String(), workflow_id: Type.String(), status: ExecutionStatusEnum, parent_node_id: Nullable(Type.String()), created_at: IsoTime,
});

export const RetryBodySchema = Type.Object(
  {
    from: Type.Optional(Type.String({
      minLength: 1, maxLength: 200, default: 'failed',
      description: '`failed`: restart at the step(s) that failed; or a node id: restart there (a node inside a loop restarts its loop)',
    })),
    version: Type.Optional(stringEnum(['same', 'active'] as const, { default: 'same', description: 'run the version the execution ran, or the active one' })),
  },
  { additionalProperties: false },
);

export const NodeRunSchema = Type.Object(
  {
    id: Type.String(), node_id: Type.String(), scope: Type.String(), attempt: Type.Integer(), status: stringEnum(NODE_STATUSES), input: Type.Unknown(), output: Type.Unknown(),
    error: ErrorRecordSchema, started_at: NullableIsoTime, finished_at: NullableIsoTime, duration_ms: Nullable(Type.Number()), logs: Type.Array(Type.Unknown()),
    reused_from: Nullable(Type.Object({ execution_id: Type.String(), run_id: Type.String() }, { description: 'kept by a retry from this run of the retried execution: not run again' })),
    child_execution_id: Nullable(Type.String({ description: 'a run_workflow step: the child it started' })),
  },
  { additionalProperties: true },
);

export const ExecutionDetailSchema = Type.Object(
  { ...ExecutionSchema.properties, nodes: Type.Array(NodeRunSchema), children: Type.Array(LinkedExecutionSchema), retries: Type.Array(LinkedExecutionSchema) },
  { additionalProperties: true },
);

export const ExecutionListSchema = Type.Object({ items: Type.Array(ExecutionSummarySchema), next_cursor: Nullable(Type.String()) });
