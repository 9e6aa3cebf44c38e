import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-committer.js';
import type { CommitResult, EngineStore, Transition } from './store-port.js';

const t = (executionId: string): Transition => ({ executionId, insertRuns: [], updateRuns: [], logs: [] });

/**
 * The port's commit as the database answers it: each call is one transaction. `refuse` are executions
 * a fencing check turns away; a batch holding one of `poison` fails as a whole (a duplicate key).
 */
function recordingStore(opts: { refuse?: string[]; poison?: string[]; onThisThread?: boolean } = {}) {
  const batches: string[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const store = {
    commitsOnThisThread: opts.onThisThread,
    async commit(ts: readonly Transition[]): Promise<CommitResult> {
      batches.push(ts.map((x) => x.executionId));
      if (gate) await gate;
      if (ts.some((x) => opts.poison?.includes(x.executionId))) throw new Error('unique violation');
      return { rejected: new Set(ts.map((x) => x.executionId).filter((id) => opts.refuse?.includes(id))) };
    },
  };
  return {
    batches,
    store: store as Pick<EngineStore, 'commit' | 'commitsOnThisThread'> as EngineStore,
    /** Holds every commit until released: transitions arriving meanwhile queue up. */
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release() {
      gate = undefined;
      release?.();
    },
  };
}

describe('GroupCommitter', () => {
  it('commits transitions submitted in one turn together, and tells each caller it is durable', async () => {
    const s = recordingStore();
    const g = new GroupCommitter(s.store);
    const results = await Promise.all([g.commit(t('x1')), g.commit(t('x2')), g.commit(t('x3'))]);
    expect(results).toEqual([true, true, true]);
    expect(s.batches).toEqual([['x1', 'x2', 'x3']]);
  });

  it('under concurrent load, waits one more turn for a store that commits on this thread, so later arrivals join', async () => {
    for (const onThisThread of [true, false]) {
      const s = recordingStore({ onThisThread });
      const g = new GroupCommitter(s.store);
      await Promise.all([g.commit(t('x1')), g.commit(t('x2'))]);
      const first = g.commit(t('a'));
      // A request whose bytes came in during the first turn starts in the next one.
      const next = new Promise<boolean>((resolve) => setImmediate(() => resolve(g.commit(t('b')))));
      expect(await Promise.all([first, next])).toEqual([true, true]);
      expect(s.batches).toEqual(onThisThread ? [['x1', 'x2'], ['a', 'b']] : [['x1', 'x2'], ['a'], ['b']]);
    }
  });

  it('commits a lone transition on the first turn when the batches before it were lone too (one request at a time)', async () => {
    const s = recordingStore({ onThisThread: true });
    const g = new GroupCommitter(s.store);
    await g.commit(t('x1'));
    const first = g.commit(t('a'));
    const next = new Promise<boolean>((resolve) => setImmediate(() => resolve(g.commit(t('b')))));
    expect(await Promise.all([first, next])).toEqual([true, true]);
    expect(s.batches).toEqual([['x1'], ['a'], ['b']]);
  });

  it('batches what arrives while a commit is in flight into the next commit', async () => {
    const s = recordingStore();
    s.hold();
    const g = new GroupCommitter(s.store);
    const first = g.commit(t('a'));
    await new Promise((r) => setImmediate(r));
    const later = [g.commit(t('b')), g.commit(t('c'))];
    s.release();
    expect(await Promise.all([first, ...later])).toEqual([true, true, true]);
    expect(s.batches).toEqual([['a'], ['b', 'c']]);
  });

  it('answers false to the caller whose transition a fencing check refused, true to its neighbours', async () => {
    const s = recordingStore({ refuse: ['stale'] });
    const g = new GroupCommitter(s.store);
    expect(await Promise.all([g.commit(t('ok')), g.commit(t('stale'))])).toEqual([true, false]);
  });

  it('retries a failed batch one by one, so one bad transition fails only its own caller', async () => {
    const s = recordingStore({ poison: ['dup'] });
    const g = new GroupCommitter(s.store);
    const settled = await Promise.allSettled([g.commit(t('a')), g.commit(t('dup')), g.commit(t('b'))]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'unique violation' });
    expect(s.batches).toEqual([['a', 'dup', 'b'], ['a'], ['dup'], ['b']]);
  });

  it('fails the lone caller of a one-transition batch with the store error', async () => {
    const s = recordingStore({ poison: ['dup'] });
    const g = new GroupCommitter(s.store);
    await expect(g.commit(t('dup'))).rejects.toThrow('unique violation');
    expect(s.batches).toEqual([['dup']]);
  });

  it('splits a queue longer than maxBatch into several commits, in order', async () => {
    const s = recordingStore();
    const g = new GroupCommitter(s.store, 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => g.commit(t(id))));
    expect(s.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
