import { describe, expect, it } from 'vitest';
import { stepAfter } from './escalation-plan.js';

// levels:  L0 --5m--> L1 --10m--> (repeat: back to L0)
const policy = {
  levels: [
    { delay_minutes: 5, targets: [] },
    { delay_minutes: 10, targets: [] },
  ],
  repeat: 1,
};

describe('stepAfter', () => {
  it("moves to the next level after the current level's delay", () => {
    expect(stepAfter(policy, { level: 0, round: 0 })).toEqual({ step: { level: 1, round: 0 }, delayMs: 300_000 });
  });

  it('starts the next round at level 0 after the last level, while repeats remain', () => {
    expect(stepAfter(policy, { level: 1, round: 0 })).toEqual({ step: { level: 0, round: 1 }, delayMs: 600_000 });
    expect(stepAfter(policy, { level: 0, round: 1 })).toEqual({ step: { level: 1, round: 1 }, delayMs: 300_000 });
  });

  it('ends after the last level of the last round, and for a level the policy lost', () => {
    expect(stepAfter(policy, { level: 1, round: 1 })).toBeUndefined();
    expect(stepAfter({ ...policy, repeat: 0 }, { level: 1, round: 0 })).toBeUndefined();
    expect(stepAfter(policy, { level: 7, round: 0 })).toBeUndefined();
  });
});
