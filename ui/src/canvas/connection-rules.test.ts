import { describe, expect, it } from 'vitest';
import { connectionProblem } from './connection-rules';
import { handlesFrom } from './handles';
import { graph } from './test-graph';

const handles = handlesFrom(undefined);

describe('connectionProblem', () => {
  //   t ──▶ c ─true─▶ a
  //         └─false─▶ (b)
  const g = graph(['t:trigger', 'c:condition', 'a:action', 'b:transform', 'l:loop', 'x:transform'], ['t>c', 'c.true>a', 'l.body>x']);
  const check = (source: string, sourceHandle: string | null, target: string) => connectionProblem({ source, sourceHandle, target }, g.nodes, g.edges, handles);

  it('accepts a handle the source type fires', () => {
    expect(check('c', 'false', 'b')).toBeNull();
    expect(check('a', 'error', 'b')).toBeNull();
  });

  it('refuses a handle the source type does not fire', () => {
    expect(check('c', 'out', 'b')).toMatch(/condition has no "out" handle \(it fires true, false\)/);
  });

  it('refuses edges into a trigger and onto the node itself', () => {
    expect(check('a', 'out', 't')).toMatch(/trigger/);
    expect(check('b', 'out', 'b')).toMatch(/itself/);
  });

  it('refuses duplicates and cycles', () => {
    expect(check('c', 'true', 'a')).toMatch(/already connected/);
    expect(check('a', 'out', 'c')).toMatch(/cycle/);
  });

  it('allows a loop body to lead back to its loop (it ends the iteration)', () => {
    //   l ─body─▶ x ──▶ l
    expect(check('x', 'out', 'l')).toBeNull();
  });
});
