import { parseDocument } from 'yaml';
import { jsonTextTooDeep, tooDeepMessage, valueTooDeep } from './json-depth.js';
import { PROBLEM_CODES, problem, type Problem } from './problems.js';

export type ParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: Problem[] };

/**
 * Reads a definition file's text: JSON when the file says so or the text starts with `{`, YAML
 * otherwise (YAML is a JSON superset, but JSON errors read better from JSON.parse). Every parse
 * problem names a line and column so editors and the CLI can point at it.
 */
export function parseDefinitionText(text: string, fileName?: string): ParseResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const isJson = fileName?.toLowerCase().endsWith('.json') === true || body.trimStart().startsWith('{');
  return isJson ? parseJson(body) : parseYaml(body);
}

/** YAML aliases one document may expand; a "billion laughs" document needs far more. */
const MAX_ALIAS_COUNT = 100;

const limit = (message: string): ParseResult => ({ ok: false, problems: [problem('', PROBLEM_CODES.limitExceeded, message)] });

function parseJson(text: string): ParseResult {
  if (jsonTextTooDeep(text)) return limit(tooDeepMessage('the JSON document'));
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const offset = at?.[1] === undefined ? text.length : Number(at[1]);
    const { line, column } = lineColumn(text, offset);
    const where = /line \d+/.test(message) ? '' : ` at line ${line}, column ${column}`;
    return { ok: false, problems: [problem('', PROBLEM_CODES.parse, `invalid JSON: ${message}${where}`)] };
  }
}

function parseYaml(text: string): ParseResult {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: true });
  } catch (err) {
    // Deep flow collections can exhaust the parser's stack: a limit, not a crash.
    return limit(`the YAML document could not be read safely: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc.errors.length === 0) {
    let value: unknown;
    try {
      // toJS refuses alias expansions beyond maxAliasCount ("billion laughs") with a ReferenceError.
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    } catch (err) {
      return limit(`the YAML document expands too much (alias bomb?): ${err instanceof Error ? err.message : String(err)}`);
    }
    return valueTooDeep(value) ? limit(tooDeepMessage('the YAML document')) : { ok: true, value };
  }
  // prettyErrors appends "at line L, column C:" and a code frame; the first line is enough for an API body.
  const problems = doc.errors.map((e) => {
    const first = (e.message.split('\n')[0] ?? e.message).replace(/:$/, '');
    const pos = e.linePos?.[0];
    const where = pos && !first.includes('line') ? ` at line ${pos.line}, column ${pos.col}` : '';
    return problem('', PROBLEM_CODES.parse, `invalid YAML: ${first}${where}`);
  });
  return { ok: false, problems };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
