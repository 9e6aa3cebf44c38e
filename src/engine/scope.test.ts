import { describe, expect, it } from 'vitest';
import { iterationScope, parseScope, ROOT_SCOPE, scopeChain, splitScope } from './scope.js';

/*
 *   top ── outer (loop) ──body──▶ inner (loop) ──body──▶ step
 *
 * `step` in iteration 2 of `inner` inside iteration 1 of `outer` lives in scope `outer[1]/inner[2]`.
 */
describe('scope names', () => {
  it('builds nested iteration scopes from the top down', () => {
    const outer = iterationScope(ROOT_SCOPE, 'outer', 1);
    expect(outer).toBe('outer[1]');
    expect(iterationScope(outer, 'inner', 2)).toBe('outer[1]/inner[2]');
  });

  it('parses a scope back into its loop iterations, outermost first', () => {
    expect(parseScope(ROOT_SCOPE)).toEqual([]);
    expect(parseScope('outer[1]/inner[2]')).toEqual([{ loopId: 'outer', index: 1 }, { loopId: 'inner', index: 2 }]);
  });

  it('keeps node ids that contain brackets whole: only the last [n] is the index', () => {
    expect(parseScope('a[b][3]')).toEqual([{ loopId: 'a[b]', index: 3 }]);
    expect(iterationScope(ROOT_SCOPE, 'a[b]', 3)).toBe('a[b][3]');
  });

  it('refuses a malformed scope instead of guessing', () => {
    expect(() => parseScope('outer')).toThrow(/malformed scope "outer"/);
    expect(() => parseScope('outer[1]/inner[x]')).toThrow(/malformed scope/);
  });

  it('splits a scope into its parent and the iteration it is', () => {
    expect(splitScope(ROOT_SCOPE)).toBeUndefined();
    expect(splitScope('outer[1]')).toEqual({ parent: ROOT_SCOPE, loopId: 'outer', index: 1 });
    expect(splitScope('outer[1]/inner[2]')).toEqual({ parent: 'outer[1]', loopId: 'inner', index: 2 });
  });

  it('lists every enclosing scope from the top down to the scope itself', () => {
    expect(scopeChain(ROOT_SCOPE)).toEqual(['']);
    expect(scopeChain('outer[1]')).toEqual(['', 'outer[1]']);
    expect(scopeChain('outer[1]/inner[2]')).toEqual(['', 'outer[1]', 'outer[1]/inner[2]']);
  });
});
