import { describe, expect, it } from 'vitest';
import { didYouMean, nearestName } from './nearest-name.js';

describe('nearestName', () => {
  it('finds the name a typo meant', () => {
    expect(nearestName('condtion', ['source_node_id', 'target_node_id', 'source_handle', 'condition'])).toBe('condition');
    expect(nearestName('send_slak', ['send_email', 'send_slack', 'send_sms'])).toBe('send_slack');
    expect(nearestName('lable', ['label', 'config'])).toBe('label');
  });

  it('offers nothing when no name is close, or for short names that would be guesses', () => {
    expect(nearestName('colour', ['condition', 'label'])).toBeUndefined();
    expect(nearestName('ab', ['id', 'x'])).toBeUndefined();
    expect(didYouMean('zzzzzz', ['send_slack'])).toBe('');
    expect(didYouMean('condtion', ['condition'])).toBe(' (did you mean "condition"?)');
  });
});
