import jsonata from 'jsonata';

export interface ExpressionSyntaxError {
  readonly message: string;
  /** Character offset in the expression where JSONata stopped (0 when it does not say). */
  readonly position: number;
}

/**
 * Parses (never evaluates) a JSONata expression. Nothing is cached: validation runs once per save,
 * and the engine compiles on its own terms.
 */
export function checkExpression(expr: string): ExpressionSyntaxError | undefined {
  try {
    jsonata(expr);
    return undefined;
  } catch (err: unknown) {
    const e = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; position?: unknown };
    return {
      message: typeof e.message === 'string' ? e.message : String(err),
      position: typeof e.position === 'number' ? e.position : 0,
    };
  }
}
