import { describe, expect, it } from 'vitest';
import { CappedOutput } from './capped-output.js';

describe('CappedOutput', () => {
  it('keeps everything under the cap', () => {
    const out = new CappedOutput(4, 4);
    out.push(Buffer.from('abc'));
    out.push(Buffer.from('def'));
    expect(out.text()).toBe('abcdef');
    expect(out.truncated).toBe(false);
  });

  it('keeps the head and the tail across chunk boundaries and marks the omitted middle', () => {
    const out = new CappedOutput(3, 4);
    for (const chunk of ['ab', 'cdefg', 'hij', 'k', 'lmnop']) out.push(Buffer.from(chunk));
    expect(out.text()).toBe('abc…[9 bytes omitted]…mnop');
    expect(out.truncated).toBe(true);
    expect(out.totalBytes).toBe(16);
  });
});
