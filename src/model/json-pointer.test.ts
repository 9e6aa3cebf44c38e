import { describe, expect, it } from 'vitest';
import { jsonPointer } from './json-pointer.js';

describe('jsonPointer', () => {
  it('joins segments and escapes ~ and /', () => {
    expect(jsonPointer('nodes', 3, 'config', 'headers', 'Content/Type~x')).toBe('/nodes/3/config/headers/Content~1Type~0x');
    expect(jsonPointer()).toBe('');
  });
});
