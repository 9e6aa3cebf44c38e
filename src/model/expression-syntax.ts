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
    const e = (typeof err === 'object' && err !== null ? err : {}) as { message?: unknown; position?: unknown; code?: unknown; token?: unknown };
    const position = typeof e.position === 'number' ? e.position : 0;
    // JSONata's S0201 reads "Syntax error: 2" and points past the token: say what it is, and point at it.
    const token = typeof e.token === 'string' || typeof e.token === 'number' ? String(e.token) : undefined;
    if (e.code === 'S0201' && token !== undefined && token !== '(end)') {
      return { message: `unexpected "${token}" (an operator or a closing bracket missing before it?)`, position: Math.max(0, position - token.length) };
    }
    return { message: typeof e.message === 'string' ? e.message : String(err), position };
  }
}

/**
 * The expression on one line and a caret under `position`, for a terminal: long expressions are cut
 * to a window around the caret.
 */
export function caretLines(text: string, position: number, indent = '    '): string {
  const flat = text.replace(/[\r\n\t]/g, ' ');
  const at = Math.min(Math.max(0, position), flat.length);
  const from = Math.max(0, at - 60);
  const to = Math.min(flat.length, at + 40);
  const shown = `${from > 0 ? '…' : ''}${flat.slice(from, to)}${to < flat.length ? '…' : ''}`;
  const caretAt = at - from + (from > 0 ? 1 : 0);
  return `${indent}${shown}\n${indent}${' '.repeat(caretAt)}^`;
}
