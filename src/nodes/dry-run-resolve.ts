import { evaluate, mapConfigStrings } from '../engine/expressions.js';
import type { Bindings } from '../engine/node-handler.js';
import type { ConfigPath } from '../model/code-fields.js';
import { isSingleExpressionTemplate, splitTemplate } from '../model/template.js';

/** undefined when the expression fails or has no value here (it reads a step that has not run). */
async function tryEvaluate(expr: string, b: Bindings): Promise<unknown> {
  try {
    return await evaluate(expr, b);
  } catch {
    return undefined;
  }
}

async function resolveString(s: string, b: Bindings): Promise<unknown> {
  if (!s.includes('{{')) return s;
  const single = isSingleExpressionTemplate(s);
  if (single !== undefined) return (await tryEvaluate(single, b)) ?? s;
  let out = '';
  for (const part of splitTemplate(s)) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const v = await tryEvaluate(part.expr, b);
    // An unknown part stays as written, so the reader sees what is filled in at run time.
    if (v === undefined) out += `{{ ${part.expr} }}`;
    else out += v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/**
 * The engine's template resolution (engine/expressions.ts) for a dry run, where most steps have not
 * run: a template that can be evaluated from what is known (input, variables) is, and any other is
 * left as written (`{{ expr }}`) instead of failing.
 */
export function resolveWherePossible(
  config: Readonly<Record<string, unknown>>,
  skip: readonly string[],
  b: Bindings,
  code: readonly ConfigPath[] = [],
): Promise<Record<string, unknown>> {
  return mapConfigStrings(config, skip, (s) => resolveString(s, b), code);
}
