import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from './json-depth.js';

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('jsonTextTooDeep', () => {
  it('allows nesting up to the limit and refuses one level more, objects and arrays alike', () => {
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTextTooDeep('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
    // Depth counted across both kinds: 33 objects around 33 arrays.
    expect(jsonTextTooDeep('{"a":'.repeat(33) + nested(33) + '}'.repeat(33))).toBe(true);
  });

  it('counts depth, not brackets: many shallow objects pass, brackets in strings do not count', () => {
    expect(jsonTextTooDeep(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i, tags: [i] }))))).toBe(false);
    expect(jsonTextTooDeep(JSON.stringify({ text: '['.repeat(1000), more: '{\\"['.repeat(100) }))).toBe(false);
    expect(jsonTextTooDeep(`[${'"[",'.repeat(200)}${nested(MAX_JSON_DEPTH)}]`)).toBe(true);
  });
});
