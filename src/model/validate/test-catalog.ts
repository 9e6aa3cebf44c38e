/**
 * Test-only: a small hand-made catalog and builders, so model tests do not depend on src/nodes.
 * Handles follow ARCHITECTURE.md §3.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { ActionSpec, Catalog, NodeTypeSpec } from '../node-spec.js';
import type { NodeType, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../types.js';

const spec = (
  type: NodeType,
  handles: readonly string[],
  configSchema: TSchema = Type.Object({}),
  extra: Partial<NodeTypeSpec> = {},
): NodeTypeSpec => ({
  type,
  label: type,
  description: type,
  configSchema,
  handles,
  defaultHandle: handles.includes('out') ? 'out' : undefined,
  expressionFields: [],
  available: true,
  ...extra,
});

const OUT_ERROR = ['out', 'error'];

const specs: readonly NodeTypeSpec[] = [
  spec('trigger', ['out'], Type.Object({ trigger_type: Type.Optional(Type.String()) })),
  spec(
    'action',
    OUT_ERROR,
    Type.Object(
      { action_type: Type.String({ minLength: 1 }), params: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
      { additionalProperties: true },
    ),
  ),
  spec('condition', ['true', 'false'], Type.Object({ expression: Type.String() }), { expressionFields: ['expression'] }),
  spec('loop', ['body', 'done'], Type.Object({ items: Type.String(), concurrency: Type.Optional(Type.Integer({ minimum: 1 })) }), {
    expressionFields: ['items'],
  }),
  spec('parallel', ['out']),
  spec('delay', ['out'], Type.Object({ seconds: Type.Number({ minimum: 0 }) })),
  spec('approval', ['approved', 'rejected', 'timeout'], Type.Object({}), { available: false }),
  spec('notification', OUT_ERROR, Type.Object({ channel: Type.String(), message: Type.String() })),
  spec('script', OUT_ERROR),
  spec(
    'api_call',
    OUT_ERROR,
    Type.Object(
      {
        method: Type.Union([Type.Literal('GET'), Type.Literal('POST')]),
        url: Type.String(),
        headers: Type.Optional(Type.Record(Type.String(), Type.String())),
        timeout_seconds: Type.Optional(Type.Number({ minimum: 1 })),
        body: Type.Optional(Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  ),
  spec('database', OUT_ERROR),
  spec('transform', ['out'], Type.Object({ expression: Type.String() }), { expressionFields: ['expression'] }),
  spec('error_handler', ['out']),
];

const actions: readonly ActionSpec[] = [
  {
    id: 'send_slack',
    params: Type.Object(
      { channel: Type.String(), message: Type.String(), retries: Type.Optional(Type.Integer({ minimum: 0 })) },
      { additionalProperties: false },
    ),
  },
];

export const testCatalog: Catalog = {
  nodeTypes: new Map(specs.map((s) => [s.type, s])),
  actions: new Map(actions.map((a) => [a.id, a])),
};

export function node(id: string, node_type: NodeType, config: Record<string, unknown> = {}): WorkflowNode {
  return { id, node_type, label: id, config };
}

export function edge(source: string, target: string, handle?: string, extra: Partial<WorkflowEdge> = {}): WorkflowEdge {
  return {
    id: `${source}->${target}`,
    source_node_id: source,
    target_node_id: target,
    ...(handle === undefined ? {} : { source_handle: handle }),
    ...extra,
  };
}

export function definition(nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[] = []): WorkflowDefinition {
  return { name: 'test', nodes, edges };
}
