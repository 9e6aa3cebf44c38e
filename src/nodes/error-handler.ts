import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const errorHandlerSpec: NodeTypeSpec = {
  type: 'error_handler',
  label: 'Error Handler',
  description:
    'With no incoming edges: runs when a node fails without an `error` edge; its output is $error. Its successors form the error path.',
  configSchema: Type.Object({}, { additionalProperties: false }),
  handles: ['out'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export const errorHandlerNode: NodeHandler = {
  spec: errorHandlerSpec,
  inline: true,
  run: (ctx) => Promise.resolve({ kind: 'done', output: ctx.bindings.error ?? ctx.input ?? null, handle: 'out' }),
};
