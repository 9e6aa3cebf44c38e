import jsonata from 'jsonata';
import { isCodePath, type ConfigPath } from '../model/code-fields.js';
import { ExpressionError } from '../model/errors.js';
import { isSingleExpressionTemplate, splitTemplate } from '../model/template.js';
import { ERROR_FUNCTION_NAME, errorFunction, renameErrorCalls } from './error-function.js';
import { EXPRESSION_LIMITS, isLimitError, limitExceeded } from './expression-limits.js';
import { compileFast, FALL_BACK, type FastExpression } from './expression-fast-path.js';
import type { Bindings } from './node-handler.js';

interface Compiled {
  readonly expr: ReturnType<typeof jsonata>;
  /** The synchronous form when the whole expression is in expression-fast-path.ts's subset. */
  readonly fast: FastExpression | undefined;
}

// Definitions are immutable per version, so a plain cache keyed by source text is safe; bounded so
// user-supplied one-off expressions can't grow it forever.
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 10_000;

function compile(source: string): Compiled {
  const cached = cache.get(source);
  if (cached) return cached;
  let compiled: Compiled;
  try {
    const expr = jsonata(source, EXPRESSION_LIMITS);
    const renamed = renameErrorCalls(source, expr.ast());
    if (renamed !== undefined) {
      const withError = jsonata(renamed, EXPRESSION_LIMITS);
      withError.assign(ERROR_FUNCTION_NAME, errorFunction);
      compiled = { expr: withError, fast: undefined };
    } else {
      compiled = { expr, fast: compileFast(expr.ast()) };
    }
  } catch (err) {
    const e = err as { message?: string; position?: number };
    throw new ExpressionError(`expression "${source}" does not parse: ${e.message ?? String(err)} (position ${e.position ?? '?'})`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** True when `source` is evaluated without JSONata's evaluator for plain inputs (tests, benchmarks). */
export function hasFastPath(source: string): boolean {
  return compile(source).fast !== undefined;
}

function jsonataBindings(b: Bindings, extra?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    input: b.input,
    trigger: b.trigger,
    nodes: b.nodes,
    vars: b.vars,
    execution: b.execution,
  };
  if (b.item !== undefined) out['item'] = b.item;
  if (b.index !== undefined) out['index'] = b.index;
  if (b.error !== undefined) out['error'] = b.error;
  return extra ? { ...out, ...extra } : out;
}

/** JSONata marks sequences with extra properties; a JSON round trip would be slower than this. */
function plain(value: unknown): unknown {
  if (Array.isArray(value) && (value as { sequence?: boolean }).sequence) return Array.from(value as unknown[]);
  return value;
}

export async function evaluate(source: string, b: Bindings, extra?: Readonly<Record<string, unknown>>): Promise<unknown> {
  const { expr, fast } = compile(source);
  if (fast !== undefined) {
    const value = fast(b, extra);
    if (value !== FALL_BACK) return value;
  }
  try {
    return plain(await expr.evaluate(b.input, jsonataBindings(b, extra)));
  } catch (err) {
    if (isLimitError(err)) throw limitExceeded(source, err);
    const e = err as { message?: string; code?: string };
    throw new ExpressionError(`expression "${source}" failed: ${e.message ?? String(err)}`, { details: { jsonata_code: e.code } });
  }
}

async function resolveString(s: string, b: Bindings): Promise<unknown> {
  if (!s.includes('{{')) return s;
  const single = isSingleExpressionTemplate(s);
  if (single !== undefined) return evaluate(single, b);
  let out = '';
  for (const part of splitTemplate(s)) {
    if (part.kind === 'text') out += part.text;
    else {
      const v = await evaluate(part.expr, b);
      out += v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return out;
}

/** Applies `fn` to every string inside a value (objects and arrays walked), keeping the shape. */
async function mapStrings(value: unknown, fn: (s: string) => Promise<unknown>, path: ConfigPath, code: readonly ConfigPath[]): Promise<unknown> {
  if (code.length > 0 && isCodePath(path, code)) return value;
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => mapStrings(v, fn, [...path, i], code)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await mapStrings(v, fn, [...path, k], code);
    return out;
  }
  return value;
}

/**
 * Applies `fn` to every string of a config, leaving the top-level keys in `skip` and the code
 * fields at `code` (model/code-fields.ts: never templated) as they are.
 */
export async function mapConfigStrings(
  config: Readonly<Record<string, unknown>>,
  skip: readonly string[],
  fn: (s: string) => Promise<unknown>,
  code: readonly ConfigPath[] = [],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = skip.includes(k) ? v : await mapStrings(v, fn, [k], code);
  return out;
}

/** Resolves `{{ }}` templates in every config value except the raw-JSONata `expressionFields` and code fields. */
export function resolveConfig(
  config: Readonly<Record<string, unknown>>,
  expressionFields: readonly string[],
  b: Bindings,
  code: readonly ConfigPath[] = [],
): Promise<Record<string, unknown>> {
  return mapConfigStrings(config, expressionFields, (s) => resolveString(s, b), code);
}

/** True when nothing in the config needs resolving: lets hot paths skip the walk. */
export function configHasTemplates(config: unknown): boolean {
  if (typeof config === 'string') return config.includes('{{');
  if (Array.isArray(config)) return config.some(configHasTemplates);
  if (config !== null && typeof config === 'object') return Object.values(config).some(configHasTemplates);
  return false;
}
