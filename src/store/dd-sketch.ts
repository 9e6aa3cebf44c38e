/**
 * A DDSketch (Masson et al., VLDB 2019) over whole milliseconds: a value v > 0 counts in bucket
 * ceil(log_γ v) with γ = (1 + α) / (1 − α). Every value in bucket i lies in (γ^(i−1), γ^i], so the
 * bucket's representative 2γ^i / (γ + 1) is within α of each of them. With α = 1%, a quantile read
 * from the buckets is within 1% of the true nearest-rank quantile; below 50 ms each bucket holds at
 * most one whole number, so rounding the representative there gives the exact value.
 * Buckets are plain (index, count) rows, so the store adds to them with an upsert, in SQL, in the
 * transaction that finishes an execution.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Bucket of 0 ms (an inline run); far below any log bucket of a duration ≥ 1 ms. */
export const ZERO_BUCKET = -32768;
const EXACT_BELOW = 50;

export function sketchIndex(ms: number): number {
  return ms <= 0 ? ZERO_BUCKET : Math.ceil(Math.log(ms) / LN_GAMMA);
}

export function sketchValue(index: number): number {
  if (index === ZERO_BUCKET) return 0;
  const v = (2 * GAMMA ** index) / (GAMMA + 1);
  return v < EXACT_BELOW ? Math.round(v) : v;
}

export interface SketchBucket {
  readonly index: number;
  readonly count: number;
}

/** Nearest-rank quantile (p in 0..100) of buckets sorted by index, clamped to the exact min and max. */
export function sketchQuantile(buckets: readonly SketchBucket[], p: number, min: number, max: number): number | null {
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= rank) return Math.min(max, Math.max(min, sketchValue(b.index)));
  }
  return max;
}
