import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESS_ABOVE_BYTES, compressJson, jsonTextOf } from './payload-compression.js';

const payload = (bytes: number): string => JSON.stringify({ items: Array.from({ length: Math.ceil(bytes / 20) }, (_, i) => ({ id: `item-${i}`, value: i * 7 })) });

describe('payload compression', () => {
  it('stores JSON above the threshold deflated and reads back the same text, from 2 KB to megabytes', () => {
    for (const size of [COMPRESS_ABOVE_BYTES + 100, 5_000, 100_000, 3_000_000]) {
      const text = payload(size);
      const stored = compressJson(text);
      expect(Buffer.isBuffer(stored)).toBe(true);
      expect((stored as Buffer).length).toBeLessThan(text.length / 2);
      expect(jsonTextOf(stored)).toBe(text);
    }
    expect(compressJson('{"small":true}')).toBe('{"small":true}');
    // A webhook body of a kilobyte or so is stored as text: deflating it costs more than the space it saves.
    const below = JSON.stringify({ text: 'x'.repeat(COMPRESS_ABOVE_BYTES - 100) });
    expect(below.length).toBeLessThanOrEqual(COMPRESS_ABOVE_BYTES);
    expect(compressJson(below)).toBe(below);
  });

  it('reads rows an earlier version stored with zlib\'s default window', () => {
    const text = payload(50_000);
    expect(jsonTextOf(deflateRawSync(text, { level: 1 }))).toBe(text);
  });
});
