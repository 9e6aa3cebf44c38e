/**
 * JSON text of a value, computed once per object: the engine measures node outputs against the
 * size cap and the store writes them, and both need the same text. Keyed by identity, so a value is
 * never mutated after it is measured (engine values are treated as immutable).
 *
 * The text is *a* JSON text of the value (JSON.parse gives it back), not necessarily
 * JSON.stringify's: a parsed request body keeps the text it came in (`adoptJsonText`), which spares
 * serialising a webhook's payload again to store it. Nothing compares these texts.
 *
 * Remembered in a non-enumerable symbol property of the object itself (JSON, spreads, Object.keys,
 * structuredClone and JSONata never see it; a copy does not inherit it), not in a WeakMap: every
 * WeakMap entry with a young key costs a write barrier and work at each scavenge, and the table grows
 * until the next full GC — on the webhook path that was ~1 % of CPU for two entries per request, and
 * ~4 % more before small texts stopped being remembered. Objects that cannot take a property
 * (frozen) fall back to a WeakMap.
 */
const TEXT = Symbol('itw.jsonText');
interface Remembered {
  /** The object the text is of: a text found through the prototype chain belongs to another. */
  readonly of: object;
  readonly text: string;
}
const frozen = new WeakMap<object, string>();

/**
 * Shorter texts are not worth remembering: serialising them again costs about what the property does
 * (~0.2 µs). Only a caller that knows the text will be wanted again asks (`remember`): the engine
 * measuring a node output that the store then writes. The store, the last to need a text, only reads.
 */
const REMEMBER_FROM_CHARS = 64;

function remembered(value: object): string | undefined {
  const r = (value as { [TEXT]?: Remembered })[TEXT];
  if (r !== undefined) return r.of === value ? r.text : undefined;
  return Object.isExtensible(value) ? undefined : frozen.get(value);
}

function keep(value: object, text: string): void {
  if (!Object.isExtensible(value)) frozen.set(value, text);
  else Object.defineProperty(value, TEXT, { value: { of: value, text } satisfies Remembered, configurable: true, enumerable: false, writable: false });
}

/**
 * `remember`: keep the text with the value (when it is long enough) because it will be wanted again.
 * Texts kept before are returned whatever `remember` says.
 */
export function jsonText(value: unknown, remember = false): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = remembered(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (remember && text !== undefined && text.length >= REMEMBER_FROM_CHARS) keep(value, text);
  }
  return text;
}

/** Records `text` as the JSON text of `value`, which JSON.parse(text) produced and nothing will mutate. */
export function adoptJsonText(value: unknown, text: string): void {
  if (value !== null && typeof value === 'object') keep(value, text);
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
  keep(value, text);
  return text;
}
