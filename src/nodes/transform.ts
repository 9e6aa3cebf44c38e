import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const transformSpec: NodeTypeSpec = {
  type: 'transform',
  label: 'Transform',
  description: 'Reshapes data with a JSONata expression; its value is the output.',
  configSchema: Type.Object({ expression: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  handles: ['out'],
  defaultHandle: 'out',
  expressionFields: ['expression'],
  available: true,
};

export const transformNode: NodeHandler = {
  spec: transformSpec,
  inline: true,
  async run(ctx) {
    const output = await ctx.evaluate(String(ctx.config['expression']));
    return { kind: 'done', output: output ?? null, handle: 'out' };
  },
};
