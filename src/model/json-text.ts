/**
 * JSON text of a value, computed once per object: the engine measures node outputs against the
 * size cap and the store writes them, and both need the same text. Keyed by identity, so a value is
 * never mutated after it is measured (engine values are treated as immutable).
 *
 * The text is *a* JSON text of the value (JSON.parse gives it back), not necessarily
 * JSON.stringify's: a parsed request body keeps the text it came in (`adoptJsonText`), which spares
 * serialising a webhook's payload again to store it. Nothing compares these texts.
 */
const cache = new WeakMap<object, string>();

/**
 * Texts shorter than this are not remembered: serialising a small value again costs less than a
 * WeakMap entry, whose young key costs a write barrier and work at every scavenge (profiled on the
 * webhook path: ~4 % of CPU went to WeakMap entries of small values such as fired edges and empty
 * variables).
 */
const REMEMBER_FROM_CHARS = 512;

export function jsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = cache.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (text !== undefined && text.length >= REMEMBER_FROM_CHARS) cache.set(value, text);
  }
  return text;
}

/** Records `text` as the JSON text of `value`, which JSON.parse(text) produced and nothing will mutate. */
export function adoptJsonText(value: unknown, text: string): void {
  if (value !== null && typeof value === 'object') cache.set(value, text);
}

/**
 * The JSON text of a plain object (no toJSON, no symbol keys) built from its values' texts, so the
 * ones already known (a request body) are not serialised again; remembered like jsonText's.
 */
export function composeJsonText(value: Readonly<Record<string, unknown>>): string {
  let text = '{';
  for (const key of Object.keys(value)) {
    const v = jsonText(value[key]);
    if (v === undefined) continue; // as JSON.stringify leaves out undefined (and functions)
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${v}`;
  }
  text += '}';
  cache.set(value, text);
  return text;
}
