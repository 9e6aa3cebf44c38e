import { describe, expect, it } from 'vitest';
import type { NodeType, WorkflowEdge, WorkflowNode } from '../types.js';
import { isLoopBackEdge } from './is-loop-back-edge.js';
import { loopBodies } from './loop-bodies.js';

const n = (id: string, node_type: NodeType = 'action'): WorkflowNode => ({ id, node_type, config: {} });
const e = (source: string, target: string, handle?: string): WorkflowEdge => ({
  id: `${source}->${target}`,
  source_node_id: source,
  target_node_id: target,
  ...(handle === undefined ? {} : { source_handle: handle }),
});

describe('loopBodies', () => {
  //  t ──> L ──body──> a ──> b ─┐
  //        ^                    │ (loop-back)
  //        └────────────────────┘
  //        L ──done──> z
  it('collects nodes reachable from the body handle and stops at the loop-back edge', () => {
    const def = {
      nodes: [n('t', 'trigger'), n('L', 'loop'), n('a'), n('b'), n('z')],
      edges: [e('t', 'L'), e('L', 'a', 'body'), e('a', 'b'), e('b', 'L'), e('L', 'z', 'done')],
    };
    const bodies = loopBodies(def);
    expect([...(bodies.get('L') ?? [])].sort()).toEqual(['a', 'b']);
    expect(isLoopBackEdge(e('b', 'L'), bodies)).toBe(true);
    expect(isLoopBackEdge(e('t', 'L'), bodies)).toBe(false);
    expect(isLoopBackEdge(e('a', 'b'), bodies)).toBe(false);
  });

  //  O ──body──> I ──body──> x ──> I (back)
  //              I ──done──> y ──> O (back)
  it('puts an inner loop and its body inside the outer body', () => {
    const def = {
      nodes: [n('O', 'loop'), n('I', 'loop'), n('x'), n('y')],
      edges: [e('O', 'I', 'body'), e('I', 'x', 'body'), e('x', 'I'), e('I', 'y', 'done'), e('y', 'O')],
    };
    const bodies = loopBodies(def);
    expect([...(bodies.get('O') ?? [])].sort()).toEqual(['I', 'x', 'y']);
    expect([...(bodies.get('I') ?? [])].sort()).toEqual(['x']);
    expect(isLoopBackEdge(e('x', 'I'), bodies)).toBe(true);
    expect(isLoopBackEdge(e('y', 'O'), bodies)).toBe(true);
    expect(isLoopBackEdge(e('y', 'I'), bodies)).toBe(false);
  });

  it('treats a body edge from a loop to itself as a loop-back edge, and an empty body as empty', () => {
    const def = { nodes: [n('L', 'loop')], edges: [e('L', 'L', 'body')] };
    const bodies = loopBodies(def);
    expect(bodies.get('L')?.size).toBe(0);
    expect(isLoopBackEdge(e('L', 'L', 'body'), bodies)).toBe(true);
    expect(isLoopBackEdge(e('L', 'L', 'done'), bodies)).toBe(false);
  });
});
