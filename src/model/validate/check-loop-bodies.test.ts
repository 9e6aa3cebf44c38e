import { describe, expect, it } from 'vitest';
import { checkLoopBodies } from './check-loop-bodies.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkLoopBodies', () => {
  //  t ─> L ─body─> a ─> b ─> L
  //       L ─done─> z
  it('accepts a body entered only through the body handle', () => {
    const def = definition(
      [node('t', 'trigger'), node('L', 'loop'), node('a', 'action'), node('b', 'action'), node('z', 'action')],
      [edge('t', 'L'), edge('L', 'a', 'body'), edge('a', 'b'), edge('b', 'L'), edge('L', 'z', 'done')],
    );
    expect(checkLoopBodies(def, testCatalog)).toEqual([]);
  });

  //  t ─> L ─body─> a ─> b
  //  t ─────────────────> b      (enters the body from outside)
  //       L ─done─> z ─> a       (done path joins the body)
  it('reports edges entering a body from outside, naming the body node and the loop', () => {
    const def = definition(
      [node('t', 'trigger'), node('L', 'loop'), node('a', 'action'), node('b', 'action'), node('z', 'action')],
      [edge('t', 'L'), edge('L', 'a', 'body'), edge('a', 'b'), edge('t', 'b'), edge('L', 'z', 'done'), edge('z', 'a')],
    );
    expect(checkLoopBodies(def, testCatalog)).toEqual([
      {
        path: '/edges/3',
        code: 'loop_body',
        message: 'node "b" is in the body of loop "L" but also reached from "t" outside the body',
        node_ids: ['b', 'L'],
      },
      {
        path: '/edges/5',
        code: 'loop_body',
        message: 'node "a" is in the body of loop "L" and also reachable from its done handle',
        node_ids: ['a', 'L'],
      },
    ]);
  });

  //  O ─body─> I ─body─> x ─> I ;  I ─done─> y ─> O
  it('accepts nested loops', () => {
    const def = definition(
      [node('O', 'loop'), node('I', 'loop'), node('x', 'action'), node('y', 'action')],
      [edge('O', 'I', 'body'), edge('I', 'x', 'body'), edge('x', 'I'), edge('I', 'y', 'done'), edge('y', 'O')],
    );
    expect(checkLoopBodies(def, testCatalog)).toEqual([]);
  });
});
