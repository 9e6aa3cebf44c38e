import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';

const EmitParams = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Event name, matched by event triggers (source internal)' }),
    data: Type.Optional(Type.Unknown({ description: 'Any JSON value: the triggered executions\' payload' })),
  },
  { additionalProperties: false },
);

const EmitOutput = Type.Object({
  name: Type.String(),
  executions: Type.Array(Type.Object({ trigger_id: Type.String(), workflow_id: Type.String(), execution_id: Type.String(), duplicate: Type.Boolean() })),
});

export const emitEventAction = defineAction({
  id: 'emit_event',
  category: 'utility',
  name: 'Emit event',
  description: 'Emits an internal event: starts every active workflow whose event trigger (source internal) matches the name.',
  params: EmitParams,
  output: EmitOutput,
  async run(ctx) {
    // The step's key: a re-dispatched step re-emits with the same key and starts nothing new.
    const executions = await ctx.services.events.emitEvent(ctx.params.name, ctx.params.data ?? null, `step:${ctx.idempotencyKey}`);
    ctx.log.log('info', `event ${ctx.params.name} started ${executions.length} execution(s)`);
    return { name: ctx.params.name, executions: [...executions] };
  },
  plan: (ctx) => `emit internal event ${ctx.params.name}`,
});
