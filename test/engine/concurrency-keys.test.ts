import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODES, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';

/**
 *  start ──► ask (approval) ─approved─► done ($trigger.n)
 * settings.concurrency: { key: "{{ $trigger.host }}", limit }
 * The approval keeps an execution unfinished (holding its slot) until the test answers it.
 */
const keyed = (limit: number, key = '{{ $trigger.host }}') => wf(
  [n('start', 'trigger'), n('ask', 'approval', { message: 'go?', approvers: [], timeout_seconds: 3600 }), transform('done', '$trigger.n')],
  [e('start', 'ask'), e('ask', 'done', 'approved')],
  { settings: { concurrency: { key, limit } } },
);

describe.each(ENGINE_MODES)('concurrency keys on $label', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  const status = async (id: string) => (await h.result(id)).execution.status;
  async function approve(id: string) {
    await h.until(id, (x) => x.status === 'waiting');
    const ask = (await h.result(id)).node('ask');
    await h.app.engine.signal(id, ask.id, 'approved', { decision: 'approved' });
    return h.app.engine.waitForFinal(id);
  }

  it('runs one execution per key value at a time; the rest wait pending and start in order, other keys run meanwhile', async () => {
    const version = await h.deploy(keyed(1));
    const a = await h.start(version, { host: 'db-1', n: 1 });
    const b = await h.start(version, { host: 'db-1', n: 2 });
    const other = await h.start(version, { host: 'db-2', n: 9 });
    const c = await h.start(version, { host: 'db-1', n: 3 });
    await h.until(a.id, (x) => x.status === 'waiting');
    await h.until(other.id, (x) => x.status === 'waiting');
    expect(await status(b.id)).toBe('pending');
    expect(await status(c.id)).toBe('pending');
    expect((await h.result(b.id)).runs).toHaveLength(0);
    expect((await h.result(a.id)).execution.concurrency_key).toBe('db-1');

    const doneA = await approve(a.id);
    expect(doneA.status).toBe('completed');
    const bStarted = await h.until(b.id, (x) => x.status === 'waiting');
    expect(bStarted.started_at).toBeGreaterThanOrEqual(doneA.finished_at!);
    expect(await status(c.id)).toBe('pending');
    const doneB = await approve(b.id);
    const doneC = await approve(c.id);
    expect((await h.result(c.id)).node('done').output).toBe(3);
    expect(doneC.started_at).toBeGreaterThanOrEqual(doneB.finished_at!);
    expect((await approve(other.id)).status).toBe('completed');
  });

  it('a limit of 2 lets two run; a cancelled runner frees its slot for the next in line', async () => {
    const version = await h.deploy(keyed(2));
    const [a, b, c] = [await h.start(version, { host: 'web', n: 1 }), await h.start(version, { host: 'web', n: 2 }), await h.start(version, { host: 'web', n: 3 })];
    await h.until(a.id, (x) => x.status === 'waiting');
    await h.until(b.id, (x) => x.status === 'waiting');
    expect(await status(c.id)).toBe('pending');
    await h.app.engine.cancel(a.id);
    await h.until(c.id, (x) => x.status === 'waiting');
    await approve(b.id);
    await approve(c.id);
  });

  it('the key is data: a hostile value is one key like any other, and a missing value is the empty key', async () => {
    const version = await h.deploy(keyed(1));
    const hostile = `x'); DROP TABLE executions; --`;
    const a = await h.start(version, { host: hostile, n: 1 });
    const b = await h.start(version, { host: hostile, n: 2 });
    const none = await h.start(version, { n: 3 });
    await h.until(a.id, (x) => x.status === 'waiting');
    await h.until(none.id, (x) => x.status === 'waiting');
    expect((await h.result(a.id)).execution.concurrency_key).toBe(hostile);
    expect((await h.result(none.id)).execution.concurrency_key).toBe('');
    expect(await status(b.id)).toBe('pending');
    await approve(a.id);
    expect((await approve(b.id)).status).toBe('completed');
    await approve(none.id);
  });
});
