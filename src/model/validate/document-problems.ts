import { DefinitionDocumentSchema } from '../definition-schema.js';
import { PROBLEM_CODES, type Problem } from '../problems.js';
import { valueProblems } from './value-problems.js';

const NODE_TYPE_PATH = /^\/nodes\/\d+\/node_type$/;

/**
 * The document against `DefinitionDocumentSchema`, as `invalid_document` problems. A node_type
 * that is a string but not a known type is left to the node-type check, whose message lists
 * the known types and which also covers types this build lacks.
 */
export function documentProblems(doc: unknown): Problem[] {
  return valueProblems(DefinitionDocumentSchema, doc, { basePath: '', code: PROBLEM_CODES.invalidDocument }).filter(
    (p) => !(NODE_TYPE_PATH.test(p.path) && typeof valueAt(doc, p.path) === 'string'),
  );
}

function valueAt(doc: unknown, path: string): unknown {
  let value = doc;
  for (const key of path.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
