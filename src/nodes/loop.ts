import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const loopSpec: NodeTypeSpec = {
  type: 'loop',
  label: 'Loop',
  description:
    'Runs the nodes reachable from `body` once per item ($item, $index), then fires `done` with every iteration\'s result.',
  configSchema: Type.Object(
    {
      items: Type.String({ minLength: 1, description: 'JSONata yielding the array to iterate' }),
      concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    },
    { additionalProperties: false },
  ),
  handles: ['body', 'done'],
  defaultHandle: undefined,
  expressionFields: ['items'],
  available: true,
};

export const loopNode: NodeHandler = {
  spec: loopSpec,
  inline: true,
  async run(ctx) {
    const value = await ctx.evaluate(String(ctx.config['items']));
    const items = value === undefined || value === null ? [] : Array.isArray(value) ? [...(value as unknown[])] : [value];
    if (items.length > 100_000) throw new NonRetryableError('loop_too_large', `loop over ${items.length} items exceeds 100000`);
    const concurrency = typeof ctx.config['concurrency'] === 'number' ? ctx.config['concurrency'] : 1;
    return { kind: 'loop', items, concurrency };
  },
};
