import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import type { DefinitionCheck } from './definition-check.js';

/** Node ids, edge ids and variable names are keys: each second occurrence is a problem. */
export const checkDuplicateIds: DefinitionCheck = (def) => {
  const problems: Problem[] = [];
  const scan = (
    keys: readonly string[],
    collection: string,
    field: string,
    describe: (key: string, firstPath: string) => string,
    nodeIds: boolean,
  ): void => {
    const first = new Map<string, number>();
    keys.forEach((key, i) => {
      if (key === '') return;
      const seen = first.get(key);
      if (seen === undefined) {
        first.set(key, i);
        return;
      }
      const message = describe(key, jsonPointer(collection, seen));
      problems.push(problem(jsonPointer(collection, i, field), PROBLEM_CODES.duplicateId, message, nodeIds ? [key] : undefined));
    });
  };
  scan(def.nodes.map((n) => n.id), 'nodes', 'id', (id, at) => `node id "${id}" is already used by ${at}`, true);
  scan(def.edges.map((e) => e.id), 'edges', 'id', (id, at) => `edge id "${id}" is already used by ${at}`, false);
  scan(
    (def.variables ?? []).map((v) => v.name),
    'variables',
    'name',
    (name, at) => `variable "${name}" is already defined at ${at}`,
    false,
  );
  return problems;
};
