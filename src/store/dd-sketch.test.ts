import { describe, expect, it } from 'vitest';
import { SKETCH_RELATIVE_ACCURACY, sketchIndex, sketchQuantile } from './dd-sketch.js';
import type { SketchBucket } from './dd-sketch.js';

function sketchOf(values: readonly number[]): SketchBucket[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(sketchIndex(v), (counts.get(sketchIndex(v)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([index, count]) => ({ index, count }));
}

function exact(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

describe('DDSketch quantiles', () => {
  it('stays within 1% of the nearest-rank quantile over a wide spread of durations', () => {
    // A deterministic long-tailed spread: 0 ms to ~10 minutes.
    const values = Array.from({ length: 20_000 }, (_, i) => Math.floor(Math.exp((i * 7919) % 20_000 / 1500)) - 1);
    const sorted = [...values].sort((a, b) => a - b);
    const sketch = sketchOf(values);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const want = exact(sorted, p);
      const got = sketchQuantile(sketch, p, sorted[0]!, sorted[sorted.length - 1]!)!;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(want * SKETCH_RELATIVE_ACCURACY + 1e-9);
    }
  });

  it('is exact for small whole-millisecond durations and for zero', () => {
    const values = [0, 0, 1, 2, 3, 7, 12, 25, 49];
    const sketch = sketchOf(values);
    expect(sketchQuantile(sketch, 20, 0, 49)).toBe(0);
    expect(sketchQuantile(sketch, 50, 0, 49)).toBe(3);
    expect(sketchQuantile(sketch, 100, 0, 49)).toBe(49);
    expect(sketchQuantile([], 95, 0, 0)).toBeNull();
  });
});
