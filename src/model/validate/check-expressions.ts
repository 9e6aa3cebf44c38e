import { checkExpression } from '../expression-syntax.js';
import { jsonPointer } from '../json-pointer.js';
import { PROBLEM_CODES, problem, type Problem } from '../problems.js';
import { splitTemplate } from '../template.js';
import { codeFieldsOf } from './check-code-fields.js';
import { involved, type DefinitionCheck } from './definition-check.js';
import { isRecord } from './salvage-definition.js';

/**
 * JSONata syntax, caught at save time rather than mid-execution: raw expressions in the type's
 * expression fields and edge conditions, `{{ }}` templates in every other config string.
 * The concurrency key (settings.concurrency.key) is a template too.
 * Positions count from the start of the field's string, where an editor would put the marker.
 * Code fields are not templates: check-code-fields.ts looks at them.
 */
export const checkExpressions: DefinitionCheck = (def, catalog) => {
  const problems: Problem[] = [];
  def.nodes.forEach((node, i) => {
    const spec = catalog.nodeTypes.get(node.node_type);
    const fields = spec?.expressionFields ?? [];
    const ids = involved(node.id);
    const code = new Set(codeFieldsOf(node, catalog).map((f) => jsonPointer('nodes', i, 'config', ...f.path)));
    for (const [key, value] of Object.entries(node.config)) {
      if (spec?.rawFields?.includes(key)) continue;
      const path = jsonPointer('nodes', i, 'config', key);
      if (!fields.includes(key)) {
        templateProblems(value, path, ids, problems, code);
      } else if (typeof value === 'string') {
        const found = rawExpressionProblem(path, value, ids);
        if (found) problems.push(found);
      }
    }
  });
  def.edges.forEach((edge, i) => {
    // An empty condition means "no condition", as null does.
    if (typeof edge.condition !== 'string' || edge.condition.trim() === '') return;
    const found = rawExpressionProblem(jsonPointer('edges', i, 'condition'), edge.condition, involved(edge.source_node_id));
    if (found) problems.push(found);
  });
  const key = def.settings?.concurrency?.key;
  if (typeof key === 'string') templateProblems(key, jsonPointer('settings', 'concurrency', 'key'), undefined, problems, new Set());
  return problems;
};

function rawExpressionProblem(path: string, expr: string, ids: string[] | undefined): Problem | undefined {
  if (expr.trim() === '') return problem(path, PROBLEM_CODES.expressionSyntax, 'expression is empty', ids);
  const error = checkExpression(expr);
  if (!error) return undefined;
  return { ...problem(path, PROBLEM_CODES.expressionSyntax, `invalid expression: ${error.message} at position ${error.position}`, ids), excerpt: { text: expr, position: error.position } };
}

function templateProblems(value: unknown, path: string, ids: string[] | undefined, out: Problem[], code: ReadonlySet<string>): void {
  if (code.has(path)) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => templateProblems(item, `${path}${jsonPointer(i)}`, ids, out, code));
    return;
  }
  if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) templateProblems(item, `${path}${jsonPointer(key)}`, ids, out, code);
    return;
  }
  if (typeof value !== 'string') return;
  const parts = splitTemplate(value);
  for (const part of parts) {
    if (part.kind === 'expr') {
      const error = part.expr === '' ? undefined : checkExpression(part.expr);
      if (part.expr === '') out.push(problem(path, PROBLEM_CODES.expressionSyntax, `empty {{ }} template at position ${part.offset}`, ids));
      if (error) {
        const message = `invalid expression in {{ ${part.expr} }}: ${error.message} at position ${part.offset + error.position}`;
        out.push({ ...problem(path, PROBLEM_CODES.expressionSyntax, message, ids), excerpt: { text: value, position: part.offset + error.position } });
      }
    }
  }
  // An unclosed `{{` leaves the rest of the string as one final text part.
  const last = parts[parts.length - 1];
  if (last?.kind === 'text' && last.text.includes('{{')) {
    const at = value.length - last.text.length + last.text.indexOf('{{');
    out.push(problem(path, PROBLEM_CODES.expressionSyntax, `unclosed {{ template at position ${at}: add }}`, ids));
  }
}
