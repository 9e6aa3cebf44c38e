import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const TRIGGER_TYPES = [
  'manual', 'schedule', 'webhook', 'event', 'email', 'file_watch', 'api_endpoint', 'incident', 'alert', 'deployment', 'slack_command',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const triggerSpec: NodeTypeSpec = {
  type: 'trigger',
  label: 'Trigger',
  description: 'Where an execution starts; its output is the execution input_data.',
  configSchema: Type.Object(
    { trigger_type: Type.Union(TRIGGER_TYPES.map((t) => Type.Literal(t)), { default: 'manual' }) },
    { additionalProperties: true },
  ),
  handles: ['out'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export const triggerNode: NodeHandler = {
  spec: triggerSpec,
  inline: true,
  run: (ctx) => Promise.resolve({ kind: 'done', output: ctx.bindings.trigger, handle: 'out' }),
};
