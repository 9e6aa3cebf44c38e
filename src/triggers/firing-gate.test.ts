import { describe, expect, it } from 'vitest';
import { FakeClock } from '../engine/clock.js';
import { FiringGate } from './firing-gate.js';
import { MemoryHeldFirings, type HeldFirings } from './held-firings.js';
import type { Firing } from './trigger-source.js';

/** Lets the promise callbacks a fired timer started run to the end. */
const settle = () => new Promise((r) => setImmediate(r));

/** A gate as one process of a cluster has it: its own clock timers, the shared held store, and a record of what it started. */
function gate(clock: FakeClock, held: HeldFirings, started: Firing[], seconds = 2) {
  return new FiringGate({ debounce_seconds: seconds }, {
    clock, triggerId: 'trg_1', held, refuse: true,
    start: (f) => {
      started.push(f);
      return Promise.resolve({ duplicate: false, dropped: true });
    },
    dropped: () => undefined, debounced: () => undefined, failed: (err) => { throw err; },
  });
}

describe('FiringGate debounce with a shared held store', () => {
  it('a burst spread over two processes starts its last event once per process timer, under one key (the starter dedupes it)', async () => {
    const clock = new FakeClock();
    const held = new MemoryHeldFirings();
    const started: Firing[] = [];
    const a = gate(clock, held, started);
    const b = gate(clock, held, started);
    await a.fire({ input: { n: 1 }, key: null });
    clock.advance(1000);
    await b.fire({ input: { n: 2 }, key: null });
    // A's timer ends first, but the burst's end moved: it waits again instead of starting n=1.
    clock.advance(1000);
    await settle();
    expect(started).toEqual([]);
    clock.advance(1000);
    await settle();
    // Both timers ended together here: both start it, under the same key, so the starter's
    // idempotency check makes one execution (as in a cluster, where each process has its timer).
    expect(started.map((f) => f.input)).toEqual([{ n: 2 }, { n: 2 }]);
    expect(new Set(started.map((f) => f.key))).toEqual(new Set([`debounced:${clock.now()}`]));
    expect(await held.get('trg_1')).toBeUndefined();
  });

  it('a process that starts after the holder died starts the held event when due (wake), keeping its own key', async () => {
    const clock = new FakeClock();
    const held = new MemoryHeldFirings();
    const started: Firing[] = [];
    await gate(clock, held, []).fire({ input: { n: 7 }, key: 'delivery-7' });
    // The holder is gone with its timer; the next process wakes the gate it builds for the trigger.
    const next = gate(clock, held, started);
    await next.wake();
    expect(started).toEqual([]);
    clock.advance(2000);
    await settle();
    expect(started).toEqual([{ input: { n: 7 }, key: 'delivery-7' }]);
  });

  it('stopping without flush leaves the event held; stopping with flush starts it at once', async () => {
    const clock = new FakeClock();
    const held = new MemoryHeldFirings();
    const started: Firing[] = [];
    const g = gate(clock, held, started);
    await g.fire({ input: { n: 1 }, key: null });
    await g.stop(false);
    clock.advance(5000);
    await settle();
    expect(started).toEqual([]);
    expect(await held.get('trg_1')).toMatchObject({ input: { n: 1 } });
    await gate(clock, held, started).stop(true);
    expect(started.map((f) => f.input)).toEqual([{ n: 1 }]);
  });
});
