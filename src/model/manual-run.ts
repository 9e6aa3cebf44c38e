import { ItwError } from './errors.js';
import type { VariableDefinition, VariableType, WorkflowDefinition } from './types.js';

function typeOf(v: unknown): VariableType | 'null' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

/**
 * A manual start's variables against the workflow's declared ones: each must be declared and of its
 * type, and every required one without a default must be given. Returns problems as field paths.
 */
export function manualRunProblems(def: Pick<WorkflowDefinition, 'variables'>, variables: Readonly<Record<string, unknown>> | undefined): Array<{ in: string; path: string; message: string }> {
  const declared = new Map<string, VariableDefinition>((def.variables ?? []).map((v) => [v.name, v]));
  const given = variables ?? {};
  const problems: Array<{ in: string; path: string; message: string }> = [];
  for (const [name, value] of Object.entries(given)) {
    const d = declared.get(name);
    if (!d) problems.push({ in: 'body', path: `/variables/${name}`, message: 'is not a variable the workflow declares' });
    else if (typeOf(value) !== d.type) problems.push({ in: 'body', path: `/variables/${name}`, message: `must be ${d.type}` });
  }
  for (const d of declared.values()) {
    if (d.required === true && d.default === undefined && !(d.name in given)) problems.push({ in: 'body', path: `/variables/${d.name}`, message: 'is required' });
  }
  return problems;
}

/** Throws a 400 `validation` error listing every problem of a manual start's variables. */
export function checkManualRun(def: Pick<WorkflowDefinition, 'variables'>, variables: Readonly<Record<string, unknown>> | undefined): void {
  const errors = manualRunProblems(def, variables);
  if (errors.length > 0) throw new ItwError('validation', 'variables do not match the workflow\'s declared variables', { details: { errors } });
}
