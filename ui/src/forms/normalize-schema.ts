import type { JsonObject } from '../api/types';

type Schema = JsonObject;

function isConstString(s: unknown): s is { const: string } {
  return typeof s === 'object' && s !== null && typeof (s as { const?: unknown }).const === 'string';
}

/**
 * Turns the server's TypeBox schemas into what a form library draws well: unions of string
 * constants become `enum` (a select), `patternProperties: {"^(.*)$": X}` becomes
 * `additionalProperties: X` (a key/value editor), and schemas without a type are marked for the
 * JSON field. Recursive; the input is not changed.
 */
export function normalizeSchema(schema: unknown): Schema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const s: Schema = { ...(schema as Schema) };
  const union = (s['anyOf'] ?? s['oneOf']) as unknown[] | undefined;
  if (Array.isArray(union) && union.length > 0 && union.every(isConstString)) {
    delete s['anyOf'];
    delete s['oneOf'];
    s['type'] = 'string';
    s['enum'] = union.map((u) => u.const);
  } else if (Array.isArray(union)) {
    const key = s['anyOf'] ? 'anyOf' : 'oneOf';
    s[key] = union.map(normalizeSchema);
  }
  if (typeof s['const'] === 'string' && s['type'] === 'string') {
    s['enum'] = [s['const']];
    s['default'] = s['default'] ?? s['const'];
    delete s['const'];
  }
  const pattern = s['patternProperties'] as Record<string, unknown> | undefined;
  if (pattern && typeof pattern === 'object') {
    const only = Object.values(pattern);
    delete s['patternProperties'];
    if (only.length === 1) s['additionalProperties'] = Object.keys(only[0] as object).length === 0 ? { type: 'string' } : normalizeSchema(only[0]);
  }
  const props = s['properties'] as Record<string, unknown> | undefined;
  if (props && typeof props === 'object') {
    s['properties'] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, normalizeSchema(v)]));
  }
  if (s['items'] && typeof s['items'] === 'object' && !Array.isArray(s['items'])) {
    s['items'] = Object.keys(s['items']).length === 0 ? { type: 'string' } : normalizeSchema(s['items']);
  }
  if (s['type'] === undefined && !s['anyOf'] && !s['oneOf'] && !s['enum'] && !s['$ref'] && !s['properties']) s['x-any'] = true;
  return s;
}

/** Property names of an object schema that hold raw JSONata (docs/WORKFLOWS.md "Expressions"). */
export const EXPRESSION_FIELDS = new Set(['expression', 'items']);

/** Property names that name a credential: drawn as the credential picker. */
export function isCredentialField(name: string): boolean {
  return name === 'credential_id' || name.endsWith('_credential_id');
}
