import { describe, expect, it } from 'vitest';
import { checkExpression } from './expression-syntax.js';

describe('checkExpression', () => {
  it('accepts valid JSONata', () => {
    expect(checkExpression('$input.status = "down" and $count($nodes.check.items) > 0')).toBeUndefined();
  });

  it('returns the JSONata message and position of a syntax error', () => {
    expect(checkExpression('$foo(')).toEqual({ message: 'Expected ")" before end of expression', position: 5 });
    expect(checkExpression('"open')).toMatchObject({ message: expect.stringContaining('String literal') });
  });

  it('rejects an empty expression', () => {
    expect(checkExpression('')?.message).toBe('Unexpected end of expression');
  });
});
