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
  { ...executionFields, version_id: Type.String(), input_data: Type.Unknown(), variables: Type.Unknown(), output: Type.Unknown(), idempotency_key: Nullable(Type.String()),
    concurrency_key: Type.Optional(Nullable(Type.String({ description: 'Value of settings.concurrency.key for this execution: a pending one waits for a slot of this key' }))) },
  { additionalProperties: true },
);

export const NodeRunSchema = Type.Object(
  {
    id: Type.String(), node_id: Type.String(), scope: Type.String(), attempt: Type.Integer(), status: stringEnum(NODE_STATUSES), input: Type.Unknown(), output: Type.Unknown(),
    error: ErrorRecordSchema, started_at: NullableIsoTime, finished_at: NullableIsoTime, duration_ms: Nullable(Type.Number()), logs: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);

export const ExecutionDetailSchema = Type.Object(
  { ...ExecutionSchema.properties, nodes: Type.Array(NodeRunSchema) },
  { additionalProperties: true },
);

export const ExecutionListSchema = Type.Object({ items: Type.Array(ExecutionSummarySchema), next_cursor: Nullable(Type.String()) });
