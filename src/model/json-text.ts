/**
 * JSON text of a value, computed once per object: the engine measures node outputs against the
 * size cap and the store writes them, and both need the same text. Keyed by identity, so a value is
 * never mutated after it is measured (engine values are treated as immutable).
 */
const cache = new WeakMap<object, string>();

export function jsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = cache.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    cache.set(value, text);
  }
  return text;
}
