import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { nearestName } from '../nearest-name.js';
import { problem, type Problem, type ProblemCode } from '../problems.js';

export interface ValueProblemOptions {
  /** Prefix for every problem path, e.g. `/nodes/3/config`. */
  readonly basePath: string;
  readonly code: ProblemCode;
  readonly node_ids?: readonly string[];
  /**
   * Skip errors on strings holding `{{ }}`: a template's type is only known at run time, so
   * `"{{ $vars.port }}"` may stand where the schema wants a number (the engine checks again then).
   */
  readonly lenientTemplates?: boolean;
}

/** TypeBox errors as problems: one per path (the first, most specific one), readable messages. */
export function valueProblems(schema: TSchema, value: unknown, options: ValueProblemOptions): Problem[] {
  // Defaults count as present, as they will be at run time (the handlers apply Value.Default too).
  const withDefaults: unknown = Value.Default(schema, Value.Clone(value));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of Value.Errors(schema, withDefaults)) {
    if (options.lenientTemplates === true && typeof error.value === 'string' && error.value.includes('{{')) continue;
    const path = options.basePath + error.path;
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push(problem(path, options.code, describeValueError(error), options.node_ids));
  }
  return problems;
}

export function describeValueError(error: ValueError): string {
  const key = error.path.slice(error.path.lastIndexOf('/') + 1).replaceAll('~1', '/').replaceAll('~0', '~');
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `missing required property "${key}"`;
    case ValueErrorType.ObjectAdditionalProperties: {
      const allowed = Object.keys((error.schema as { properties?: Record<string, unknown> }).properties ?? {});
      const near = nearestName(key, allowed);
      if (near !== undefined) return `unknown property "${key}": did you mean "${near}"? (allowed: ${allowed.join(', ')})`;
      return allowed.length > 0
        ? `unknown property "${key}" (allowed: ${allowed.join(', ')})`
        : `unknown property "${key}"`;
    }
    case ValueErrorType.Union: {
      const options = (error.schema as { anyOf?: readonly { const?: unknown; type?: unknown }[] }).anyOf ?? [];
      if (options.length > 0 && options.every((o) => o.const !== undefined)) {
        return `must be one of ${options.map((o) => JSON.stringify(o.const)).join(', ')}`;
      }
      const types = options.map((o) => (typeof o.type === 'string' ? o.type : 'other'));
      return `expected ${types.join(' or ')}`;
    }
    default:
      return error.message.charAt(0).toLowerCase() + error.message.slice(1);
  }
}
