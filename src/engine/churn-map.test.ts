import { describe, expect, it } from 'vitest';
import { ChurnMap } from './churn-map.js';

describe('ChurnMap', () => {
  it('gets, sets, deletes and counts like a Map', () => {
    const m = new ChurnMap<number>();
    expect(m.get('a')).toBeUndefined();
    expect(m.set('a', 1)).toBe(m);
    m.set('b', 2).set('a', 3);
    expect(m.size).toBe(2);
    expect(m.get('a')).toBe(3);
    expect(m.has('b')).toBe(true);
    expect(m.delete('b')).toBe(true);
    expect(m.delete('b')).toBe(false);
    expect(m.has('b')).toBe(false);
    expect(m.size).toBe(1);
    m.clear();
    expect(m.size).toBe(0);
    expect([...m]).toEqual([]);
  });

  it('keeps keys a plain object would not: inherited names and undefined values', () => {
    const m = new ChurnMap<string | undefined>();
    expect(m.has('constructor')).toBe(false);
    expect(m.get('__proto__')).toBeUndefined();
    m.set('__proto__', 'p').set('toString', 't').set('hasOwnProperty', undefined);
    expect(m.get('__proto__')).toBe('p');
    expect(m.has('hasOwnProperty')).toBe(true);
    expect(m.size).toBe(3);
    expect([...m.keys()]).toEqual(['__proto__', 'toString', 'hasOwnProperty']);
  });

  it('iterates in insertion order, a re-set key keeping its place and a deleted then re-added one going last (the LRU of cached images relies on it)', () => {
    const m = new ChurnMap<number>();
    for (const k of ['exec_3', 'exec_1', 'exec_2']) m.set(k, Number(k.slice(5)));
    m.set('exec_1', 10);
    m.delete('exec_3');
    m.set('exec_3', 30);
    expect([...m.entries()]).toEqual([['exec_1', 10], ['exec_2', 2], ['exec_3', 30]]);
    expect([...m.values()]).toEqual([10, 2, 30]);
    const seen: string[] = [];
    m.forEach((v, k, map) => {
      expect(map).toBe(m);
      seen.push(`${k}=${v}`);
    });
    expect(seen).toEqual(['exec_1=10', 'exec_2=2', 'exec_3=30']);
  });

  it('lets entries be deleted while iterating, as a Map does', () => {
    const m = new ChurnMap<number>();
    for (let i = 0; i < 10; i++) m.set(`k${i}`, i);
    for (const [k, v] of m) if (v % 2 === 0) m.delete(k);
    expect([...m.keys()]).toEqual(['k1', 'k3', 'k5', 'k7', 'k9']);
    // A key deleted ahead of the iteration is not visited.
    const visited: string[] = [];
    for (const [k] of m) {
      visited.push(k);
      m.delete('k7');
    }
    expect(visited).toEqual(['k1', 'k3', 'k5', 'k9']);
  });
});
