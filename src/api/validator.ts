import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';

/**
 * Two Ajv instances: query strings, params and headers arrive as text and are coerced to the schema's
 * types ("20" → 20); JSON bodies are not, so `{"position_x": "100"}` is an error rather than a guess.
 * `allErrors` lists every failing field at once; nothing unknown is silently dropped.
 */
export function installValidators(f: FastifyInstance): void {
  // verbose: errors carry their schema, so an error can list an enum's values or suggest a property name.
  const common = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false, verbose: true } as const;
  const body = new Ajv({ ...common, coerceTypes: false });
  const text = new Ajv({ ...common, coerceTypes: 'array' });
  f.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
