import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redactor.js';

describe('Redactor', () => {
  it('replaces every known secret in nested values, longest first, and leaves the rest', () => {
    const r = new Redactor();
    expect(r.redact({ a: 'token abc123' })).toEqual({ a: 'token abc123' });
    r.add('abc123');
    r.add('abc123-long');
    r.add('no'); // too short to be a secret
    expect(r.redact({ a: ['Bearer abc123-long', 'x abc123 y', 'no'], n: 5, z: null })).toEqual({
      a: [`Bearer ${REDACTED}`, `x ${REDACTED} y`, 'no'], n: 5, z: null,
    });
  });
});
