import { describe, expect, it } from 'vitest';
import { topologicalOrder } from './topological-order.js';

const edge = (source: string, target: string) => ({ source, target });

describe('topologicalOrder', () => {
  //  a ──► b ──► d
  //  └───► c ──┘
  it('puts a join after every branch, branches in the order given', () => {
    expect(topologicalOrder(['d', 'c', 'b', 'a'], [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')])).toEqual(['a', 'c', 'b', 'd']);
    expect(topologicalOrder(['a', 'b', 'c', 'd'], [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')])).toEqual(['a', 'b', 'c', 'd']);
  });

  //  a ──► b      x ──► a   (x not in the set)
  it('ignores edges to or from nodes outside the set', () => {
    expect(topologicalOrder(['b', 'a'], [edge('x', 'a'), edge('a', 'b'), edge('b', 'y')])).toEqual(['a', 'b']);
  });

  //  a ──► b ──► c ──► b
  it('puts nodes on a cycle last rather than dropping them', () => {
    expect(topologicalOrder(['a', 'b', 'c'], [edge('a', 'b'), edge('b', 'c'), edge('c', 'b')])).toEqual(['a', 'b', 'c']);
  });
});
