/**
 * `{{ expr }}` templates in config strings (ARCHITECTURE.md §3): a string that is exactly one
 * template becomes the expression's typed value, otherwise templates are interpolated into text.
 */

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `offset` is where the trimmed expression starts in the source string, to locate syntax errors. */
  | { readonly kind: 'expr'; readonly expr: string; readonly offset: number };

const OPEN = '{{';
const CLOSE = '}}';

/**
 * Splits a string into text and expression parts. A `{{` without a closing `}}` stays text.
 * The scan does not look inside JSONata string literals: `}}` within one is rare enough in
 * templates that a predictable rule beats a parser here.
 */
export function splitTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf(OPEN, i);
    const close = open < 0 ? -1 : s.indexOf(CLOSE, open + OPEN.length);
    if (open < 0 || close < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, open);
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    const raw = s.slice(open + OPEN.length, close);
    const lead = raw.length - raw.trimStart().length;
    parts.push({ kind: 'expr', expr: raw.trim(), offset: open + OPEN.length + lead });
    i = close + CLOSE.length;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

/** The expression when the whole string (surrounding whitespace aside) is one `{{ expr }}`. */
export function isSingleExpressionTemplate(s: string): string | undefined {
  const parts = splitTemplate(s.trim());
  const only = parts[0];
  return parts.length === 1 && only?.kind === 'expr' ? only.expr : undefined;
}

export function hasTemplate(s: string): boolean {
  return splitTemplate(s).some((p) => p.kind === 'expr');
}
