import type { WorkflowDefinition } from '../types.js';

const VAR_ONLY = /^\{\{\s*\$vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/**
 * A config value as it will be at run time when that is knowable before a run: a literal, or exactly
 * `{{ $vars.name }}` with the variable's default (templates' usual way to name a credential or a
 * service). Anything computed is undefined: preflight does not guess.
 */
export function knownString(def: WorkflowDefinition, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = VAR_ONLY.exec(value.trim());
  if (!m) return value.includes('{{') ? undefined : value;
  const v = def.variables?.find((x) => x.name === m[1]);
  return typeof v?.default === 'string' ? v.default : undefined;
}
