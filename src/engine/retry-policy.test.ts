import { describe, expect, it } from 'vitest';
import type { ResolvedSettings } from '../model/types.js';
import { backoffMs, effectiveRetry } from './retry-policy.js';

const settings = (over: Partial<ResolvedSettings> = {}): ResolvedSettings => ({
  timeout_seconds: 0, max_retries: 0, retry_on_failure: false, max_concurrent_executions: 0, error_strategy: 'stop', concurrency: null, ...over,
});

describe('effectiveRetry', () => {
  it('runs a node once when neither the node nor the workflow asks for retries', () => {
    expect(effectiveRetry(undefined, settings()).maxAttempts).toBe(1);
  });

  it('ignores max_retries unless retry_on_failure is on', () => {
    expect(effectiveRetry(undefined, settings({ max_retries: 3 })).maxAttempts).toBe(1);
    expect(effectiveRetry(undefined, settings({ max_retries: 3, retry_on_failure: true }))).toEqual({
      maxAttempts: 4, backoff: 'exponential', initialMs: 1000, maxMs: 300_000,
    });
  });

  it("lets a node's own retry override the workflow settings", () => {
    const r = effectiveRetry({ max_attempts: 2, backoff: 'fixed', initial_seconds: 5, max_seconds: 10 }, settings({ max_retries: 9, retry_on_failure: true }));
    expect(r).toEqual({ maxAttempts: 2, backoff: 'fixed', initialMs: 5000, maxMs: 10_000 });
  });

  it('defaults a node policy to exponential from 1 s capped at 300 s, and at least one attempt', () => {
    expect(effectiveRetry({ max_attempts: 0 }, settings())).toEqual({ maxAttempts: 1, backoff: 'exponential', initialMs: 1000, maxMs: 300_000 });
  });
});

describe('backoffMs', () => {
  const exp = { maxAttempts: 10, backoff: 'exponential', initialMs: 1000, maxMs: 5000 } as const;
  const fixed = { ...exp, backoff: 'fixed' } as const;

  it('doubles from the initial delay for each retry, up to the cap', () => {
    expect([2, 3, 4, 5, 6].map((attempt) => backoffMs(exp, attempt))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('waits the same time before every retry when fixed', () => {
    expect([2, 3, 7].map((attempt) => backoffMs(fixed, attempt))).toEqual([1000, 1000, 1000]);
  });

  it("treats the remote side's Retry-After as a floor, even above the cap", () => {
    expect(backoffMs(exp, 2, 3000)).toBe(3000);
    expect(backoffMs(exp, 4, 1000)).toBe(4000);
    expect(backoffMs(exp, 2, 60_000)).toBe(60_000);
  });
});
