import { nodeCodeFields, type CodeField } from '../code-fields.js';
import { checkExpression } from '../expression-syntax.js';
import { jsonPointer } from '../json-pointer.js';
import type { Catalog } from '../node-spec.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import { splitTemplate } from '../template.js';
import type { WorkflowNode } from '../types.js';
import { involved, type DefinitionCheck } from './definition-check.js';
import { isRecord } from './salvage-definition.js';

/** The code fields of a node as the catalog declares them (model/code-fields.ts). */
export function codeFieldsOf(node: WorkflowNode, catalog: Catalog): CodeField[] {
  const actionType = node.config['action_type'];
  const action = node.node_type === 'action' && typeof actionType === 'string' ? catalog.actions.get(actionType) : undefined;
  return nodeCodeFields(node.config, catalog.nodeTypes.get(node.node_type), action?.codeParams);
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let at = value;
  for (const seg of path) {
    if (Array.isArray(at)) at = at[Number(seg)];
    else if (isRecord(at)) at = at[String(seg)];
    else return undefined;
  }
  return at;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isRecord(value)) return Object.values(value).flatMap(strings);
  return [];
}

/**
 * A `{{ expr }}` reading workflow data (any `$` variable or function: `$trigger`, `$vars`, `$input`...)
 * in a code field. Code fields are never templated, so such a template would run as written; other
 * `{{ }}` (a Go template's `{{ .Name }}`, a Python f-string's `{{`) are the code's own text.
 */
function dataTemplates(s: string): string[] {
  return splitTemplate(s)
    .filter((p) => p.kind === 'expr')
    .map((p) => (p.kind === 'expr' ? p.expr : ''))
    .filter((expr) => expr.includes('$') && checkExpression(expr) === undefined);
}

function describeField(path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') return `${String(path[path.length - 2])}[${last}] (${last === 0 ? 'the program' : 'a script given to the program'})`;
  return String(last);
}

/**
 * Trigger data, remote responses and variables are data, never code (docs/SECURITY.md, finding 4):
 * a template in SQL, a shell line, script source or an argv's program is refused, with how to pass
 * the value instead.
 */
export const checkCodeFields: DefinitionCheck = (def, catalog) => {
  const problems: Problem[] = [];
  def.nodes.forEach((node, i) => {
    for (const field of codeFieldsOf(node, catalog)) {
      const found = strings(valueAt(node.config, field.path)).flatMap(dataTemplates);
      if (found.length === 0) continue;
      const what = describeField(field.path);
      const message = `{{ ${found[0]!} }} in ${what}: ${what} is code and is never templated, so data can't become code; ${field.hint}`;
      problems.push(problem(jsonPointer('nodes', i, 'config', ...field.path), PROBLEM_CODES.templateInCode, message, involved(node.id)));
    }
  });
  return problems;
};
