import { describe, expect, it } from 'vitest';
import { withoutResult } from './script-output.js';

describe('script node live output', () => {
  it('passes what the script printed and drops the result after the marker, even split across chunks', () => {
    const got: string[] = [];
    const out = withoutResult({ write: (s, c) => got.push(`${s}:${typeof c === 'string' ? c : Buffer.from(c).toString()}`) }, '\n\u001eMARK\u001e');
    out.write('stdout', 'hello\nwor');
    out.write('stderr', 'oops\n');
    out.write('stdout', Buffer.from('ld\n\u001eMA'));
    out.write('stdout', 'RK\u001e{"secret":"result"}');
    out.flush();
    expect(got.filter((g) => g.startsWith('stdout')).map((g) => g.slice(7)).join('')).toBe('hello\nworld');
    expect(got).toContain('stderr:oops\n');
    expect(got.join('')).not.toContain('result');
  });

  it('a script that never reaches its result (killed) still shows all it printed', () => {
    const got: string[] = [];
    const out = withoutResult({ write: (_s, c) => got.push(String(c)) }, '\n\u001eMARK\u001e');
    out.write('stdout', 'partial line');
    out.flush();
    expect(got.join('')).toBe('partial line');
  });
});
