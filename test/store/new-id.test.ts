import { describe, expect, it } from 'vitest';
import { newId } from '../../src/model/ids.js';

describe('newId', () => {
  it('is the prefix and 16 lowercase Crockford base32 chars', () => {
    expect(newId('wf')).toMatch(/^wf_[0-9a-hjkmnp-tv-z]{16}$/);
  });

  it('sorts by creation time, and stays unique and ordered within one millisecond', () => {
    const sameMs = Array.from({ length: 10_000 }, () => newId('run', 1_900_000_000_000));
    expect(new Set(sameMs).size).toBe(sameMs.length);
    expect([...sameMs].sort()).toEqual(sameMs);
    expect(newId('run', 1_900_000_000_001) > sameMs[sameMs.length - 1]!).toBe(true);
  });
});
