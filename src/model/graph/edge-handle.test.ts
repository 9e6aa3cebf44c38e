import { describe, expect, it } from 'vitest';
import { edgeHandle } from './edge-handle.js';

describe('edgeHandle', () => {
  it('uses the named handle, else the type default', () => {
    expect(edgeHandle({ source_handle: 'error' }, { defaultHandle: 'out' })).toBe('error');
    expect(edgeHandle({}, { defaultHandle: 'out' })).toBe('out');
    expect(edgeHandle({ source_handle: null }, { defaultHandle: 'out' })).toBe('out');
    expect(edgeHandle({}, { defaultHandle: undefined })).toBeUndefined();
  });
});
