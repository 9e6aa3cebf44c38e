import type { Catalog } from '../node-spec.js';
import type { Problem } from '../problems.js';
import type { WorkflowDefinition } from '../types.js';

/**
 * One validation rule. Checks see a normalized definition, or a salvaged one when the schema
 * failed, so ids, types and endpoints may be `''`: skip those, the schema problems cover them.
 */
export type DefinitionCheck = (def: WorkflowDefinition, catalog: Catalog) => Problem[];

/** node_ids for a problem, leaving out ids the schema already reported as unusable. */
export function involved(...ids: readonly string[]): string[] | undefined {
  const known = ids.filter((id) => id !== '');
  return known.length > 0 ? known : undefined;
}
