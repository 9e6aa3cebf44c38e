import { normalizeDefinition, type DefinitionDocument } from './normalize-definition.js';
import type { Problem } from './problems.js';
import type { WorkflowDefinition } from './types.js';
import { checkDuplicateIds } from './validate/check-duplicate-ids.js';
import { documentProblems } from './validate/document-problems.js';

export type DraftResult =
  | { readonly ok: true; readonly definition: WorkflowDefinition }
  | { readonly ok: false; readonly problems: Problem[] };

/**
 * What a draft must satisfy to be stored: the document's shape and unique ids (they are keys of the
 * stored rows). Everything else (unknown actions, dangling edges, cycles, bad expressions) is allowed
 * in a draft and reported by validateDefinition when it is activated or run.
 */
export function checkDraft(doc: unknown): DraftResult {
  const shape = documentProblems(doc);
  if (shape.length > 0) return { ok: false, problems: shape };
  const definition = normalizeDefinition(doc as DefinitionDocument);
  const duplicates = checkDuplicateIds(definition, { nodeTypes: new Map(), actions: new Map() });
  return duplicates.length > 0 ? { ok: false, problems: duplicates } : { ok: true, definition };
}
