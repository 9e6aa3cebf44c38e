import { describe, expect, it } from 'vitest';
import { formatMode, shortId } from './format';

describe('formatMode', () => {
  it('says a manual run once, and names a trigger that differs from the mode', () => {
    expect(formatMode('manual', 'manual')).toBe('manual');
    expect(formatMode('manual', null)).toBe('manual');
    expect(formatMode('trigger', 'schedule')).toBe('trigger · schedule');
  });
});

describe('shortId', () => {
  it('tells two workflows created the same second apart by their random tails', () => {
    expect(shortId('wf_1m92jjj9qkrjaesp')).toBe('…rjaesp');
    expect(shortId('wf_1m92jjj9qkx7y2z1')).not.toBe(shortId('wf_1m92jjj9qkrjaesp'));
    expect(shortId('wf_1')).toBe('wf_1');
  });
});
