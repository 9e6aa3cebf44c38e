/**
 * JSONata syntax checks for the editor, in the browser: the same parser the engine uses, loaded
 * with the builder only. A check never evaluates anything.
 */

export interface SyntaxProblem {
  readonly message: string;
  /** Character offset in the field's text, when the parser says. */
  readonly position?: number;
}

type Parse = (src: string) => unknown;
let parser: Parse | undefined;
let loading: Promise<Parse> | undefined;

export function loadParser(): Promise<Parse> {
  if (parser) return Promise.resolve(parser);
  loading ??= import('jsonata').then((m) => {
    parser = m.default;
    return parser;
  });
  return loading;
}

function describe(err: unknown, offset: number): SyntaxProblem {
  const e = err as { message?: string; position?: number; token?: string };
  const position = typeof e.position === 'number' ? e.position + offset : undefined;
  return { message: `${e.message ?? String(err)}${position !== undefined ? ` (at character ${position})` : ''}`, ...(position !== undefined ? { position } : {}) };
}

/** A raw JSONata field (`expression`, `items`, an edge condition). Undefined = fine (or parser not loaded yet). */
export function checkExpression(src: string, parse: Parse | undefined = parser): SyntaxProblem | undefined {
  if (!parse) return undefined;
  if (src.trim() === '') return { message: 'expression is empty' };
  try {
    parse(src);
    return undefined;
  } catch (err) {
    return describe(err, 0);
  }
}

/** Every `{{ expr }}` in a config string (docs/WORKFLOWS.md "Expressions"): the first one that does not parse. */
export function checkTemplates(text: string, parse: Parse | undefined = parser): SyntaxProblem | undefined {
  if (!parse || !text.includes('{{')) return undefined;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const raw = text.slice(open + 2, close);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() === '') return { message: `empty {{ }} template at character ${open}`, position: open };
    try {
      parse(raw.trim());
    } catch (err) {
      return describe(err, open + 2 + lead);
    }
    i = close + 2;
  }
  return undefined;
}
