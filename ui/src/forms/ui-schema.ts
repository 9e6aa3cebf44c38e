import type { UiSchema } from '@rjsf/utils';
import type { JsonObject } from '../api/types';
import { EXPRESSION_FIELDS, isCredentialField } from './normalize-schema';

/** Strings that are usually long: drawn as text areas (still checked for `{{ }}` templates). */
const LONG_TEXT = new Set(['code', 'sql', 'message', 'description', 'body', 'text', 'command', 'script', 'html']);

/**
 * The uiSchema for a normalized schema: which widget draws each property. Raw JSONata fields get
 * the expression widget, credential ids the credential picker, untyped values the JSON field, and
 * other strings the template-aware text widget.
 */
export function uiSchemaFor(schema: JsonObject, name = ''): UiSchema {
  const ui: UiSchema = {};
  if (schema['x-any']) return { 'ui:field': 'json' };
  if (schema['type'] === 'string' && !schema['enum']) {
    if (EXPRESSION_FIELDS.has(name)) return { 'ui:widget': 'expression' };
    if (isCredentialField(name)) return { 'ui:widget': 'credential' };
    return { 'ui:widget': LONG_TEXT.has(name) ? 'templateArea' : 'template' };
  }
  if (schema['description'] && typeof schema['description'] === 'string') ui['ui:description'] = schema['description'];
  const props = schema['properties'] as Record<string, JsonObject> | undefined;
  if (props) for (const [k, v] of Object.entries(props)) ui[k] = uiSchemaFor(v, k);
  const items = schema['items'] as JsonObject | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) ui['items'] = uiSchemaFor(items, name);
  return ui;
}
