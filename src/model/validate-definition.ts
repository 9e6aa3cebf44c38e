import { Value } from '@sinclair/typebox/value';
import { DefinitionDocumentSchema } from './definition-schema.js';
import type { Catalog } from './node-spec.js';
import { normalizeDefinition } from './normalize-definition.js';
import type { Problem } from './problems.js';
import type { WorkflowDefinition } from './types.js';
import { checkActions } from './validate/check-actions.js';
import { checkCodeFields } from './validate/check-code-fields.js';
import { checkCycles } from './validate/check-cycles.js';
import { checkDuplicateIds } from './validate/check-duplicate-ids.js';
import { checkEdgeEndpoints } from './validate/check-edge-endpoints.js';
import { checkEdgeHandles } from './validate/check-edge-handles.js';
import { checkErrorHandlers } from './validate/check-error-handlers.js';
import { checkExpressions } from './validate/check-expressions.js';
import { checkLoopBodies } from './validate/check-loop-bodies.js';
import { checkNodeConfigs } from './validate/check-node-configs.js';
import { checkNodeTypes } from './validate/check-node-types.js';
import { checkTriggerAuth } from './validate/check-trigger-auth.js';
import type { DefinitionCheck } from './validate/definition-check.js';
import { documentProblems } from './validate/document-problems.js';
import { isRecord, salvageDefinition } from './validate/salvage-definition.js';

export type ValidationResult =
  | { readonly ok: true; readonly definition: WorkflowDefinition; readonly problems: [] }
  | { readonly ok: false; readonly problems: Problem[] };

/** In the order problems are listed: structure first, then references, then contents. */
const CHECKS: readonly DefinitionCheck[] = [
  checkNodeTypes,
  checkDuplicateIds,
  checkEdgeEndpoints,
  checkEdgeHandles,
  checkCycles,
  checkExpressions,
  checkNodeConfigs,
  checkTriggerAuth,
  checkActions,
  checkCodeFields,
  checkLoopBodies,
  checkErrorHandlers,
];

/**
 * Every problem of a definition document at once, so an editor or CLI can show them together.
 * The graph checks still run when the schema fails, on the usable part of the document, unless
 * `nodes`/`edges` are not even arrays.
 */
export function validateDefinition(doc: unknown, catalog: Catalog): ValidationResult {
  const schemaProblems = documentProblems(doc);
  if (!isRecord(doc) || !Array.isArray(doc['nodes']) || !(doc['edges'] === undefined || Array.isArray(doc['edges']))) {
    return { ok: false, problems: schemaProblems };
  }
  const nodes = doc['nodes'] as readonly unknown[];
  const def = Value.Check(DefinitionDocumentSchema, doc) ? normalizeDefinition(doc) : salvageDefinition({ ...doc, nodes });
  const problems = [...schemaProblems, ...CHECKS.flatMap((check) => check(def, catalog))];
  return problems.length === 0 ? { ok: true, definition: def, problems: [] } : { ok: false, problems };
}
