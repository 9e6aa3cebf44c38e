import type { EscalationPolicy } from './incident-types.js';

/** A point in a policy: which level, in which pass through the levels (0 = first). */
export interface EscalationStep {
  readonly level: number;
  readonly round: number;
}

export interface NextStep {
  readonly step: EscalationStep;
  /** How long `current` is given before `step` is paged. */
  readonly delayMs: number;
}

const MINUTE_MS = 60_000;

/**
 * What is paged after `current`, PagerDuty-style: each level has its own delay before the next one;
 * after the last level, `repeat` more rounds start again at level 0 (after the last level's delay);
 * after that nothing. Undefined also for a level the policy no longer has (it was edited).
 */
export function stepAfter(policy: Pick<EscalationPolicy, 'levels' | 'repeat'>, current: EscalationStep): NextStep | undefined {
  const level = policy.levels[current.level];
  if (level === undefined) return undefined;
  const delayMs = level.delay_minutes * MINUTE_MS;
  if (current.level + 1 < policy.levels.length) return { step: { level: current.level + 1, round: current.round }, delayMs };
  if (current.round < policy.repeat) return { step: { level: 0, round: current.round + 1 }, delayMs };
  return undefined;
}
