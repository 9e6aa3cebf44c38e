import { isSecretRef, type SecretKeeper } from './secret-ref.js';
import { mapTriggerSecrets } from './trigger-secret-fields.js';
import type { WorkflowDefinition } from './types.js';

/**
 * The secret a definition or trigger row may store: a reference of this workflow (kept), or a clear
 * value (sealed now). A reference of another workflow is dropped: an imported document cannot
 * borrow secrets it was never given, they must be set again.
 */
async function storable(keeper: SecretKeeper, owner: string, value: unknown): Promise<unknown> {
  if (value === undefined || value === null || value === '') return value;
  if (isSecretRef(value)) return (await keeper.open(owner, value)) === undefined ? undefined : value;
  return keeper.seal(owner, value);
}

export function sealTriggerConfig(keeper: SecretKeeper, owner: string, type: string, config: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return mapTriggerSecrets(type, config, (v) => storable(keeper, owner, v));
}

/** The config a trigger runs with: references opened (one that does not open leaves the field unset). */
export function openTriggerConfig(keeper: SecretKeeper, owner: string, type: string, config: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return mapTriggerSecrets(type, config, (v) => (isSecretRef(v) ? keeper.open(owner, v) : Promise.resolve(v)));
}

/** Trigger node secrets and secret variables' defaults as vault references. */
export async function sealDefinition(keeper: SecretKeeper, owner: string, def: WorkflowDefinition): Promise<WorkflowDefinition> {
  const nodes = await Promise.all(def.nodes.map(async (n) => {
    if (n.node_type !== 'trigger' || typeof n.config['trigger_type'] !== 'string') return n;
    return { ...n, config: await sealTriggerConfig(keeper, owner, n.config['trigger_type'], n.config) };
  }));
  const variables = def.variables === undefined ? undefined : await Promise.all(def.variables.map(async (v) => {
    if (v.secret !== true || v.default === undefined) return v;
    const { default: value, ...rest } = v;
    const stored = await storable(keeper, owner, value);
    return stored === undefined ? rest : { ...rest, default: stored };
  }));
  return { ...def, nodes, ...(variables === undefined ? {} : { variables }) };
}

/** Whether any of `$vars` is a vault reference openVariables would open. */
export function hasSealedVariable(vars: Readonly<Record<string, unknown>>): boolean {
  for (const k in vars) if (isSecretRef(vars[k])) return true;
  return false;
}

/** `$vars` with the secret ones opened: what a step's expressions see. */
export async function openVariables(keeper: SecretKeeper, owner: string, vars: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>> {
  // Every step's bindings pass here: without a sealed variable (the common case) nothing is copied.
  if (!hasSealedVariable(vars)) return vars;
  const out: Record<string, unknown> = { ...vars };
  for (const [k, v] of Object.entries(vars)) if (isSecretRef(v)) out[k] = await keeper.open(owner, v);
  return out;
}
