import type { ResolvedSettings, RetryPolicy } from '../model/types.js';

export interface EffectiveRetry {
  readonly maxAttempts: number;
  readonly backoff: 'fixed' | 'exponential';
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * A node's own `retry` wins; then the workflow's retry_on_failure/max_retries when turned on; then
 * the node type's default (an action's vendor guidance: a PagerDuty 429 is worth three more tries
 * 30 s apart even when nobody configured retries). Only retryable errors are ever retried.
 */
export function effectiveRetry(policy: RetryPolicy | undefined, settings: ResolvedSettings, fallback?: RetryPolicy): EffectiveRetry {
  if (!policy && !settings.retry_on_failure && fallback) return effectiveRetry(fallback, settings);
  if (policy) {
    return {
      maxAttempts: Math.max(1, policy.max_attempts),
      backoff: policy.backoff ?? 'exponential',
      initialMs: (policy.initial_seconds ?? 1) * 1000,
      maxMs: (policy.max_seconds ?? 300) * 1000,
    };
  }
  const retries = settings.retry_on_failure ? Math.max(0, settings.max_retries) : 0;
  return { maxAttempts: 1 + retries, backoff: 'exponential', initialMs: 1000, maxMs: 300_000 };
}

/** Wait before attempt `nextAttempt` (2 = first retry). Retry-After from the remote side is a floor. */
export function backoffMs(retry: EffectiveRetry, nextAttempt: number, retryAfterMs?: number): number {
  const n = Math.max(0, nextAttempt - 2);
  const base = retry.backoff === 'fixed' ? retry.initialMs : retry.initialMs * 2 ** n;
  return Math.max(Math.min(base, retry.maxMs), retryAfterMs ?? 0);
}
