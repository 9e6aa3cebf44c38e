/** Exponential backoff with ±20 % jitter, so sources that failed together do not retry in lockstep. */
export function backoffMs(failures: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
