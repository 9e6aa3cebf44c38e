import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryExecution } from '../../src/executions/retry-execution.js';
import { ENGINE_MODES, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';

// t ──► stamp (a random nonce: a re-run changes it) ──► check (fails while $trigger.limit is low) ──► report
//   └─► audit (a parallel branch)
const def = wf(
  [n('t', 'trigger'), transform('stamp', '{ "n": $trigger.n, "nonce": $random() }'), transform('audit', '"audited " & $string($trigger.n)'),
    transform('check', '$input.n > 3 ? $assert(false, "n too big") : $input.n'), transform('report', '"reported " & $string($input)')],
  [e('t', 'stamp'), e('t', 'audit'), e('stamp', 'check'), e('check', 'report')],
);

describe.each(ENGINE_MODES)('retry from the failed step on $label', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  const retry = (id: string, from: 'failed' | { node: string }) =>
    retryExecution({ engine: h.app.engine, executions: h.app.store.engine, workflows: h.app.store.workflows, starter: h.app.starter }, { executionId: id, from, version: 'same' });

  it('keeps the runs before the failed step as recorded and runs the rest; the retry fails the same way on the same version', async () => {
    const version = await h.deploy(def);
    const first = await h.start(version, { n: 5 });
    const failed = await h.until(first.id, (x) => x.status === 'failed');
    const before = await h.result(failed.id);
    const again = await retry(failed.id, 'failed');
    expect(again).toMatchObject({ retry_of: failed.id, version_id: version.id, input_data: { n: 5 } });
    await h.until(again.id, (x) => x.status === 'failed');
    const after = await h.result(again.id);
    for (const id of ['t', 'stamp', 'audit']) {
      expect(after.node(id)).toMatchObject({ status: 'completed', output: before.node(id).output, state: { reused_from: { execution_id: failed.id, run_id: before.node(id).id } } });
    }
    expect(after.node('check')).toMatchObject({ status: 'failed', state: null, error: { message: expect.stringContaining('n too big') } });
    expect(after.attempts('report')).toHaveLength(0); // stopped by the failure, as the first time
    expect(after.attempts('stamp')).toHaveLength(1);
  });

  it('from a chosen node: it runs again (a new stamp) and so does what follows it', async () => {
    const version = await h.deploy(def);
    const first = await h.start(version, { n: 2 });
    const completed = await h.until(first.id, (x) => x.status === 'completed');
    const again = await retry(completed.id, { node: 'stamp' });
    const done = await h.until(again.id, (x) => x.status === 'completed' || x.status === 'failed');
    expect(done.status).toBe('completed');
    const before = await h.result(completed.id);
    const after = await h.result(again.id);
    expect(after.node('stamp').state).toBeNull();
    expect(after.node('stamp').output).not.toEqual(before.node('stamp').output);
    expect(after.node('audit').state).toMatchObject({ reused_from: { execution_id: completed.id } });
    expect(after.node('report').output).toBe('reported 2');
  });

  it('refuses an execution that has not finished', async () => {
    const waits = await h.deploy(wf([n('t', 'trigger'), n('ask', 'approval', { message: 'ok?', timeout_seconds: 0 })], [e('t', 'ask')]));
    const x = await h.start(waits, {});
    await h.until(x.id, (s) => s.status === 'waiting');
    await expect(retry(x.id, 'failed')).rejects.toMatchObject({ code: 'conflict' });
    await h.app.engine.cancel(x.id);
  });
});
