import { isSecretRef, type SecretKeeper } from '../model/secret-ref.js';
import type { WorkflowDefinition } from '../model/types.js';
import type { Redactor } from './redactor.js';

/** `$vars`: declared defaults overlaid with the execution's overrides. */
export function variableValues(def: WorkflowDefinition, overrides: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const v of def.variables ?? []) if (v.default !== undefined) vars[v.name] = v.default;
  return { ...vars, ...(overrides ?? {}) };
}

/**
 * The variables as the execution row stores them: a variable declared `secret` holds a vault
 * reference (its default already does; an override is sealed now), and its value is known to the
 * redactor, so a step that echoes it is stored redacted. Without a keeper (engine tests) the value
 * stays in memory and only the redactor guards it.
 */
export async function storableVariables(
  def: WorkflowDefinition, vars: Readonly<Record<string, unknown>>, owner: string, keeper: SecretKeeper | undefined, redactor: Redactor,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...vars };
  for (const v of def.variables ?? []) {
    const value = vars[v.name];
    if (v.secret !== true || value === undefined || value === null || isSecretRef(value)) continue;
    redactor.add(typeof value === 'string' ? value : JSON.stringify(value));
    if (keeper) out[v.name] = await keeper.seal(owner, value);
  }
  return out;
}
