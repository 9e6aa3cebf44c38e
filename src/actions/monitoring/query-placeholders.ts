import { Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';

/**
 * PromQL and LogQL are code: a label value templated into one could close its string and add
 * selectors or whole expressions. Values go in `query_params` instead and the query names them
 * `$name`; each is written into the query as a double-quoted string literal, escaped, so it can
 * only ever be one string.
 */
export const QUERY_HINT = 'write $name where a label value goes (`up{instance=$instance}`) and pass the value in `query_params` (`query_params: { instance: "{{ $trigger.instance }}" }`): it is inserted as an escaped string literal';

export const QueryParamsSchema = Type.Optional(
  Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String({ maxLength: 4096 }), {
    description: 'Values for $name placeholders in the query, each inserted as an escaped double-quoted string literal',
    additionalProperties: false,
  }),
);

/**
 * PromQL and LogQL double-quoted strings take Go's escapes, a superset of what JSON.stringify writes
 * (`\\`, `\"`, `\n`, `\uXXXX`...): the value stays inside its quotes whatever it holds.
 */
function literal(value: string): string {
  return JSON.stringify(value);
}

/** The query with every `$name` of `values` replaced by its literal; a `$name` not given is refused, naming it. */
export function bindQuery(actionId: string, query: string, values: Readonly<Record<string, string>> | undefined): string {
  return query.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
    const value = values?.[name];
    if (value === undefined) {
      // Without query_params the query is taken as written (the query language has no `$` outside strings).
      if (values === undefined) return whole;
      throw invalidParam(actionId, '/query_params', `the query uses $${name}, which query_params does not give`);
    }
    return literal(value);
  });
}
