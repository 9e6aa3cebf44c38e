/** A JSON column: written as text on both dialects, read back as text (SQLite) or a value (jsonb). */
export type JsonText = unknown;

export function readJson<T>(value: JsonText): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
