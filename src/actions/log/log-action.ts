import { Type } from '@sinclair/typebox';
import { quoted } from '../communication/plan-text.js';
import { defineAction } from '../define-action.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const LogParams = Type.Object(
  {
    message: Type.String(),
    level: Type.Optional(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: 'info' })),
    data: Type.Optional(Type.Unknown({ description: 'Any JSON value, stored with the log line' })),
  },
  { additionalProperties: false },
);

const LogOutput = Type.Object({
  message: Type.String(),
  level: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
});

export const logAction = defineAction({
  id: 'log',
  category: 'utility',
  name: 'Log',
  description: 'Writes a message (and optional data) to the step log.',
  params: LogParams,
  output: LogOutput,
  run(ctx) {
    const { message, data } = ctx.params;
    const level = ctx.params.level ?? 'info';
    // StepLogger takes a record; a bare value (string, array...) is wrapped so it is not lost.
    if (data === undefined) ctx.log.log(level, message);
    else ctx.log.log(level, message, isRecord(data) ? data : { data });
    return Promise.resolve({ message, level });
  },
  // What an approver or a dry run reads: the line that will be written, not just "Log".
  plan(ctx) {
    return `log ${ctx.params.level ?? 'info'}: ${quoted(ctx.params.message)}`;
  },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
