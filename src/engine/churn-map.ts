/**
 * A `Map` from string keys for long-lived maps whose entries come and go at the request rate (the
 * engine's live executions, the waiters for their ends), backed by a dictionary-mode object instead
 * of V8's `Map`.
 *
 * Why: when a `Map` outgrows or compacts its hash table, V8 links the old table to the new one (so
 * iterators can follow) and the old table keeps its entries. Under churn a table soon lives long
 * enough to be promoted; from then on, each dead old table in the old generation keeps the next young
 * table alive through every scavenge, and with it every entry it held: whole executions, their
 * request bodies and results, were promoted and left for the next full GC. Measured on the webhook
 * benchmarks (docs/BENCHMARKS.md): 7.5 KB (W1) and 13 KB (W2) promoted per request with `Map`, under
 * 0.1 KB with this, and a third of the scavenge time. A dictionary's old backing store has no link
 * to its successor.
 *
 * Same semantics as `Map<string, V>`, iteration in insertion order included (string keys that are not
 * array indices enumerate in insertion order), but one: an iteration walks the keys present when it
 * began, so entries added during it are not visited (none of its users adds while iterating).
 */
export class ChurnMap<V> implements Map<string, V> {
  private entriesByKey: Record<string, V> = Object.create(null) as Record<string, V>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get [Symbol.toStringTag](): string {
    return 'ChurnMap';
  }

  get(key: string): V | undefined {
    return this.entriesByKey[key];
  }

  has(key: string): boolean {
    return key in this.entriesByKey;
  }

  set(key: string, value: V): this {
    if (!(key in this.entriesByKey)) this.count++;
    this.entriesByKey[key] = value;
    return this;
  }

  delete(key: string): boolean {
    if (!(key in this.entriesByKey)) return false;
    delete this.entriesByKey[key];
    this.count--;
    return true;
  }

  clear(): void {
    this.entriesByKey = Object.create(null) as Record<string, V>;
    this.count = 0;
  }

  forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }

  *entries(): MapIterator<[string, V]> {
    // A snapshot of the keys: deleting during iteration is safe, as with Map; adding is not seen.
    for (const k of Object.keys(this.entriesByKey)) {
      if (k in this.entriesByKey) yield [k, this.entriesByKey[k]!];
    }
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
