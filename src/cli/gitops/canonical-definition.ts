import { stringify } from 'yaml';

/**
 * Fields a definition carries that say where the canvas was scrolled, not what the workflow does:
 * left out of files and of comparisons, so panning in the UI is not a change.
 */
const VOLATILE = new Set(['viewport']);

/** Keys sorted, nulls and volatile fields dropped: equal workflows give equal values, byte for byte as YAML. */
export function canonical(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (depth === 0 && VOLATILE.has(key)) continue;
    const v = (value as Record<string, unknown>)[key];
    if (v === null || v === undefined) continue;
    // defineProperty, not assignment: a `__proto__` key in a file stays a plain key.
    Object.defineProperty(out, key, { value: canonical(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The file text: canonical YAML, long strings unfolded (a diff shows the changed line, not a re-wrapped paragraph). */
export function definitionYaml(definition: unknown): string {
  return stringify(canonical(definition), { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Paths (`/nodes/ask/config/message`) where two canonical values differ; nodes and edges named by id. */
export function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const byId = (v: unknown): Map<string, unknown> | undefined => {
    if (!Array.isArray(v) || !v.every((x) => isObj(x) && typeof x['id'] === 'string')) return undefined;
    return new Map(v.map((x) => [String((x as Record<string, unknown>)['id']), x]));
  };
  const [ma, mb] = [byId(a), byId(b)];
  if (ma && mb) {
    const ids = [...new Set([...ma.keys(), ...mb.keys()])];
    return ids.flatMap((id) => changedPaths(ma.get(id), mb.get(id), `${path}/${id}`));
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], `${path}/${k}`));
  }
  return [path || '/'];
}
