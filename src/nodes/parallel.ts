import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const parallelSpec: NodeTypeSpec = {
  type: 'parallel',
  label: 'Parallel',
  description: 'Fans out: every edge from `out` fires at once; a later node with several inputs joins them.',
  configSchema: Type.Object(
    { max_concurrency: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: '0 = unlimited' })) },
    { additionalProperties: false },
  ),
  handles: ['out'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export const parallelNode: NodeHandler = {
  spec: parallelSpec,
  inline: true,
  run: (ctx) => Promise.resolve({ kind: 'done', output: ctx.input, handle: 'out' }),
};
