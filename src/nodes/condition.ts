import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const conditionSpec: NodeTypeSpec = {
  type: 'condition',
  label: 'Condition',
  description: 'Evaluates a JSONata expression and fires `true` or `false`.',
  configSchema: Type.Object({ expression: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  handles: ['true', 'false'],
  defaultHandle: undefined,
  expressionFields: ['expression'],
  available: true,
};

/** JSONata truthiness for the common cases: empty arrays, '', 0, null and undefined are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.some(truthy);
  return Boolean(value);
}

export const conditionNode: NodeHandler = {
  spec: conditionSpec,
  inline: true,
  async run(ctx) {
    const result = truthy(await ctx.evaluate(String(ctx.config['expression'])));
    return { kind: 'done', output: { result, input: ctx.input }, handle: result ? 'true' : 'false' };
  },
};
