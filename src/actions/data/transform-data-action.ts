import { Type } from '@sinclair/typebox';
import jsonata from 'jsonata';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { EXPRESSION_LIMITS, isLimitError, limitExceeded } from '../../engine/expression-limits.js';


const TransformDataParams = Type.Object(
  {
    expression: Type.String({ minLength: 1, description: 'JSONata, evaluated with `data` as its input ($)' }),
    data: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

const TransformDataOutput = Type.Object({ result: Type.Unknown() });

interface JsonataFailure {
  message?: string;
  code?: string;
  position?: number;
  token?: string;
}

function expressionError(err: unknown, phase: 'parse' | 'evaluate'): NonRetryableError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as JsonataFailure;
  const at = e.position !== undefined ? ` at position ${e.position}` : '';
  return new NonRetryableError('expression_error', `JSONata ${phase} error${at}: ${e.message ?? String(err)}`, {
    details: { jsonata_code: e.code ?? null, position: e.position ?? null, token: e.token ?? null },
  });
}

/** JSONata returns its sequences as arrays with extra flags; the step output is plain JSON. */
function plain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

export const transformDataAction = defineAction({
  id: 'transform_data',
  category: 'data',
  name: 'Transform Data',
  description: 'Reshapes data with a JSONata expression.',
  params: TransformDataParams,
  codeParams: { expression: CODE_HINTS.jsonata },
  output: TransformDataOutput,
  async run(ctx) {
    let expr: jsonata.Expression;
    try {
      expr = jsonata(ctx.params.expression, EXPRESSION_LIMITS);
    } catch (err) {
      throw expressionError(err, 'parse');
    }
    try {
      return { result: plain(await expr.evaluate(ctx.params.data)) };
    } catch (err) {
      // A runaway expression fails fast with its own code instead of holding the event loop.
      if (isLimitError(err)) throw limitExceeded(ctx.params.expression, err);
      throw expressionError(err, 'evaluate');
    }
  },
  plan(ctx) {
    const e = ctx.params.expression.replace(/\s+/g, ' ').trim();
    return `evaluate JSONata ${e.length > 120 ? `${e.slice(0, 117)}...` : e}`;
  },
});
