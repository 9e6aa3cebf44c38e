import { describe, expect, it } from 'vitest';
import { toGraph } from './convert';
import { handlesFrom } from './handles';
import { autoLayout, LAYOUT_BOX, layers, needsLayout } from './layout';
import { graph } from './test-graph';
import type { GraphState } from './types';

function overlaps(g: GraphState): string[] {
  const boxes = g.nodes.map((n) => ({ id: n.id, ...n.position, ...LAYOUT_BOX }));
  const hits: string[] = [];
  for (const a of boxes) {
    for (const b of boxes) {
      if (a.id < b.id && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) hits.push(`${a.id}/${b.id}`);
    }
  }
  return hits;
}

const column = (g: GraphState) => Object.fromEntries(g.nodes.map((n) => [n.id, n.position.x]));

describe('layers', () => {
  it('puts a node one layer right of its deepest predecessor', () => {
    //  t ─> a ─> b ─> c
    //  └───────────> c      (the short edge does not pull c left)
    const r = layers(['t', 'a', 'b', 'c'], [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 't', target: 'c' }]);
    expect(Object.fromEntries(r)).toEqual({ t: 0, a: 1, b: 2, c: 3 });
  });

  it('survives a cycle and starts from the entries', () => {
    //  t ─> a ─> b ─┐
    //       ^───────┘
    const r = layers(['b', 'a', 't'], [{ source: 't', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'a' }], (id) => id === 't');
    expect(Object.fromEntries(r)).toEqual({ t: 0, a: 1, b: 2 });
  });
});

describe('autoLayout', () => {
  it('lays a branch out left to right with no two boxes overlapping', () => {
    //          ┌ true ─> ok ──────┐
    //  t ─> c ─┤                  ├─> log
    //          └ false ─> fix ─> wait
    const g = autoLayout(graph(['t:trigger', 'c:condition', 'ok:transform', 'fix:action', 'wait:delay', 'log:action'],
      ['t>c', 'c.true>ok', 'c.false>fix', 'fix>wait', 'ok>log', 'wait>log']));
    expect(overlaps(g)).toEqual([]);
    const x = column(g);
    expect(x.t).toBeLessThan(x.c!);
    expect(x.c).toBeLessThan(x.ok!);
    expect(x.ok).toBe(x.fix);
    expect(x.wait).toBeGreaterThan(x.fix!);
    expect(x.log).toBeGreaterThan(x.wait!);
  });

  it('spreads a fan-out of many nodes without overlaps, and keeps a straight chain level', () => {
    const many = Array.from({ length: 8 }, (_, i) => `n${i}:transform`);
    const g = autoLayout(graph(['t:trigger', ...many, 'end:transform'], [...many.map((n) => `t>${n.split(':')[0]}`), ...many.map((n) => `${n.split(':')[0]}>end`)]));
    expect(overlaps(g)).toEqual([]);
    const chain = autoLayout(graph(['a:trigger', 'b:transform', 'c:transform'], ['a>b', 'b>c']));
    expect(new Set(chain.nodes.map((n) => n.position.y)).size).toBe(1);
  });

  it('places nodes with no edges (and two triggers) in the first column, apart', () => {
    const g = autoLayout(graph(['t1:trigger', 't2:trigger', 'lone:transform'], []));
    expect(overlaps(g)).toEqual([]);
    expect(new Set(g.nodes.map((n) => n.position.x))).toEqual(new Set([0]));
  });
});

describe('needsLayout', () => {
  it('is true for nodes without positions or all stacked on one point, false for placed ones', () => {
    expect(needsLayout([{ position_x: 0, position_y: 0 }, {}])).toBe(true);
    expect(needsLayout([{ position_x: 0, position_y: 0 }, { position_x: 0, position_y: 0 }])).toBe(true);
    expect(needsLayout([{ position_x: 0, position_y: 0 }, { position_x: 300, position_y: 0 }])).toBe(false);
    expect(needsLayout([{ position_x: 0, position_y: 0 }])).toBe(false);
  });

  it('a definition without positions loads laid out, not stacked at 0,0', () => {
    const def = { nodes: [{ id: 't', node_type: 'trigger' as const, config: {} }, { id: 'a', node_type: 'transform' as const, config: {} }], edges: [{ id: 'e', source_node_id: 't', target_node_id: 'a' }] };
    const g = autoLayout(toGraph(def, handlesFrom(undefined)));
    expect(overlaps(g)).toEqual([]);
  });
});
