import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const delaySpec: NodeTypeSpec = {
  type: 'delay',
  label: 'Delay',
  description: 'Waits durably (survives restarts) for `seconds`, or until an ISO time, then passes its input on.',
  configSchema: Type.Object(
    {
      seconds: Type.Optional(Type.Number({ minimum: 0, maximum: 31_536_000 })),
      until: Type.Optional(Type.String({ description: 'ISO 8601 time' })),
    },
    { additionalProperties: false },
  ),
  handles: ['out'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export const delayNode: NodeHandler = {
  spec: delaySpec,
  inline: true,
  run(ctx) {
    const { seconds, until } = ctx.config;
    if (until !== undefined && until !== null && until !== '') {
      const text = typeof until === 'string' ? until : JSON.stringify(until);
      const at = Date.parse(text);
      if (Number.isNaN(at)) throw new NonRetryableError('invalid_config', `delay until "${text}" is not an ISO time`);
      return Promise.resolve({ kind: 'wait', until: at });
    }
    const s = Number(seconds ?? 0);
    if (!Number.isFinite(s) || s < 0) throw new NonRetryableError('invalid_config', `delay seconds "${String(seconds)}" is not a number >= 0`);
    return Promise.resolve({ kind: 'wait', until: ctx.now() + s * 1000 });
  },
};
