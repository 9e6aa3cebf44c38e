import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.js';
import { Wakeups } from './wakeups.js';

function setup() {
  const clock = new FakeClock(0);
  const woken: Array<[string, number]> = [];
  const w = new Wakeups(clock, (key) => woken.push([key, clock.now()]));
  return { clock, woken, w };
}

describe('Wakeups', () => {
  it('wakes each key at its time, earliest first, whatever order they were set in', () => {
    const { clock, woken, w } = setup();
    w.set('c', 300);
    w.set('a', 100);
    w.set('b', 200);
    expect(w.size).toBe(3);
    clock.advance(1000);
    expect(woken).toEqual([['a', 100], ['b', 200], ['c', 300]]);
    expect(w.size).toBe(0);
  });

  it('wakes nothing before its time', () => {
    const { clock, woken, w } = setup();
    w.set('a', 100);
    clock.advance(99);
    expect(woken).toEqual([]);
    clock.advance(1);
    expect(woken).toEqual([['a', 100]]);
  });

  it('wakes a rescheduled key once, at its new time (earlier or later)', () => {
    const { clock, woken, w } = setup();
    w.set('later', 100);
    w.set('later', 500);
    w.set('sooner', 400);
    w.set('sooner', 50);
    clock.advance(1000);
    expect(woken).toEqual([['sooner', 50], ['later', 500]]);
  });

  it('does not wake a deleted key', () => {
    const { clock, woken, w } = setup();
    w.set('a', 100);
    w.set('b', 200);
    w.delete('a');
    expect(w.size).toBe(1);
    clock.advance(1000);
    expect(woken).toEqual([['b', 200]]);
  });

  it('wakes a key set in the past at once (after a restart, an overdue delay)', () => {
    const { clock, woken, w } = setup();
    clock.advance(1000);
    w.set('overdue', 10);
    clock.advance(0);
    expect(woken).toEqual([['overdue', 1000]]);
  });

  it('wakes nothing after stop, until a new key is set', () => {
    const { clock, woken, w } = setup();
    w.set('a', 100);
    w.stop();
    clock.advance(1000);
    expect(woken).toEqual([]);
    w.set('b', 1500);
    clock.advance(1000);
    // `a` stayed due: arming for `b` finds it overdue and wakes it at once, `b` at its own time.
    expect(woken).toEqual([['a', 1000], ['b', 1500]]);
  });

  it('serves many parked keys with one armed timer, re-armed for the next one', () => {
    const { clock, woken, w } = setup();
    for (let i = 50; i >= 1; i--) w.set(`k${i}`, i * 10);
    clock.advance(250);
    expect(woken.map(([k]) => k)).toEqual(Array.from({ length: 25 }, (_, i) => `k${i + 1}`));
    clock.advance(250);
    expect(woken).toHaveLength(50);
  });

  it('does not keep deleted or rescheduled keys: the heap stays about twice the keys it serves', () => {
    const { clock, woken, w } = setup();
    // What a busy server does: each execution arms its deadline an hour away and finishes in a moment.
    for (let i = 0; i < 20_000; i++) {
      w.set(`done${i}`, 3_600_000 + i);
      w.delete(`done${i}`);
    }
    for (let i = 0; i < 300; i++) w.set(`parked${i}`, 1_000 + i);
    for (let i = 0; i < 10_000; i++) w.set(`parked${i % 300}`, 2_000 + i);
    expect(w.size).toBe(300);
    expect(w.held).toBeLessThanOrEqual(1024);
    // Rebuilding kept every live key at its latest time, in order.
    clock.advance(20_000);
    expect(woken.map(([k]) => k)).toEqual(Array.from({ length: 300 }, (_, i) => `parked${(9_700 + i) % 300}`));
    expect(woken[0]![1]).toBe(11_700);
    clock.advance(3_600_000);
    expect(woken).toHaveLength(300);
  });
});
