/**
 * `$error` is two things in an expression: JSONata's built-in `$error(message)` that fails the
 * evaluation on purpose, and our binding of the failure an error path carries (`$error.message`).
 * A JSONata variable holds one value, so calls are told apart from reads in the parsed expression:
 * every call `$error(...)` is renamed to a function bound beside the value, which fails the
 * way JSONata's own does. Reads stay `$error`. So both work everywhere (docs/WORKFLOWS.md).
 */

/** The variable calls of `$error(...)` are renamed to. */
export const ERROR_FUNCTION_NAME = '__itw_error_fn';

interface AstNode {
  readonly type?: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly procedure?: AstNode;
}

/** End positions (JSONata's `position`) of every `$error` token used as a function to call. */
function callPositions(ast: unknown, out: number[]): number[] {
  if (Array.isArray(ast)) {
    for (const x of ast) callPositions(x, out);
    return out;
  }
  if (ast === null || typeof ast !== 'object') return out;
  const node = ast as AstNode;
  const proc = node.procedure;
  if ((node.type === 'function' || node.type === 'partial') && proc?.type === 'variable' && proc.value === 'error' && typeof proc.position === 'number') {
    out.push(proc.position);
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') callPositions(v, out);
  return out;
}

/** `source` with its `$error(...)` calls renamed, or undefined when it has none. */
export function renameErrorCalls(source: string, ast: unknown): string | undefined {
  const token = '$error';
  const ends = callPositions(ast, []).filter((end) => source.slice(end - token.length, end) === token);
  if (ends.length === 0) return undefined;
  let out = source;
  for (const end of [...new Set(ends)].sort((a, b) => b - a)) out = `${out.slice(0, end - token.length)}$${ERROR_FUNCTION_NAME}${out.slice(end)}`;
  return out;
}

/** Fails like JSONata's `$error()`: code D3137, the message given. */
export function errorFunction(message?: unknown): never {
  throw Object.assign(new Error(typeof message === 'string' && message !== '' ? message : '$error() function evaluated'), { code: 'D3137' });
}
