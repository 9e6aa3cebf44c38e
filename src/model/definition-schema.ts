import { Type } from '@sinclair/typebox';
import { BACKOFF_KINDS, ERROR_STRATEGIES, NODE_TYPES, VARIABLE_TYPES } from './types.js';

function oneOf<T extends string>(values: readonly T[]) {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

const Id = Type.String({ minLength: 1 });
// `additionalProperties: false` below is what turns a typo such as `timeout_second` into a problem.
const strict = { additionalProperties: false } as const;

export const RetryPolicySchema = Type.Object(
  {
    max_attempts: Type.Integer({ minimum: 1, maximum: 100 }),
    backoff: Type.Optional(oneOf(BACKOFF_KINDS)),
    initial_seconds: Type.Optional(Type.Number({ minimum: 0 })),
    max_seconds: Type.Optional(Type.Number({ minimum: 0 })),
  },
  strict,
);

export const SettingsSchema = Type.Object(
  {
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0 })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    retry_on_failure: Type.Optional(Type.Boolean()),
    max_concurrent_executions: Type.Optional(Type.Integer({ minimum: 0 })),
    error_strategy: Type.Optional(oneOf(ERROR_STRATEGIES)),
    concurrency: Type.Optional(Type.Object(
      {
        key: Type.String({ minLength: 1, maxLength: 1000, description: 'Template evaluated at start against $trigger, $vars, $execution: `{{ $trigger.host }}`' }),
        limit: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Executions with the same key value running at once' }),
      },
      { ...strict, description: 'Per-key concurrency: the rest wait pending, in order' },
    )),
  },
  strict,
);

export const VariableSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    type: oneOf(VARIABLE_TYPES),
    default: Type.Optional(Type.Unknown()),
    secret: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String()),
    required: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const NodeSchema = Type.Object(
  {
    id: Id,
    node_type: oneOf(NODE_TYPES),
    label: Type.Optional(Type.String()),
    position_x: Type.Optional(Type.Number()),
    position_y: Type.Optional(Type.Number()),
    // Optional in documents (an error_handler has nothing to configure); normalization fills `{}`.
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    retry: Type.Optional(RetryPolicySchema),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const EdgeSchema = Type.Object(
  {
    // Optional in documents; normalization assigns `edge_<index>`.
    id: Type.Optional(Id),
    source_node_id: Id,
    target_node_id: Id,
    source_handle: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    condition: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  strict,
);

export const ViewportSchema = Type.Object({ x: Type.Number(), y: Type.Number(), zoom: Type.Number({ exclusiveMinimum: 0 }) });

/** The whole definition document as written in files, API bodies and exports (ARCHITECTURE.md §2). */
export const DefinitionDocumentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    settings: Type.Optional(SettingsSchema),
    variables: Type.Optional(Type.Array(VariableSchema)),
    nodes: Type.Array(NodeSchema),
    // Optional so a one-node workflow needs no `edges: []`; normalization fills it.
    edges: Type.Optional(Type.Array(EdgeSchema)),
    viewport: Type.Optional(ViewportSchema),
    // Exports carry these; they describe the stored workflow, not the graph, and are dropped by normalization.
    id: Type.Optional(Type.Unknown()),
    version: Type.Optional(Type.Unknown()),
    status: Type.Optional(Type.Unknown()),
  },
  strict,
);
