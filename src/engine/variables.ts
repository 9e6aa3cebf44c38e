import type { WorkflowDefinition } from '../model/types.js';

/** `$vars`: declared defaults overlaid with the execution's overrides. */
export function variableValues(def: WorkflowDefinition, overrides: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const v of def.variables ?? []) if (v.default !== undefined) vars[v.name] = v.default;
  return { ...vars, ...(overrides ?? {}) };
}
