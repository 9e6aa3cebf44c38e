import { describe, expect, it } from 'vitest';
import { findCycles } from './find-cycles.js';

const e = (source_node_id: string, target_node_id: string) => ({ source_node_id, target_node_id });

describe('findCycles', () => {
  it('finds nothing in a diamond', () => {
    //  a ─> b ─> d
    //  a ─> c ─> d
    expect(findCycles(['a', 'b', 'c', 'd'], [e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd')])).toEqual([]);
  });

  it('reports each cycle once with members in node order, cycles ordered by first member', () => {
    //  a ─> b ─> c ─> a      d ─> e ─> d      f ─> f
    const ids = ['f', 'a', 'b', 'c', 'd', 'e'];
    const edges = [e('c', 'a'), e('a', 'b'), e('b', 'c'), e('e', 'd'), e('d', 'e'), e('f', 'f'), e('c', 'd')];
    expect(findCycles(ids, edges)).toEqual([['f'], ['a', 'b', 'c'], ['d', 'e']]);
  });

  it('ignores edges to unknown nodes', () => {
    expect(findCycles(['a'], [e('a', 'ghost'), e('ghost', 'a')])).toEqual([]);
  });
});
