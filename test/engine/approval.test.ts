import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';

//  t ──► ask (approval) ─approved─► restart (log action)
//              ├──rejected─► note
//              └──timeout──► escalate
const def = wf(
  [n('t', 'trigger'), n('ask', 'approval', { message: 'Restart {{ $trigger.service }} on {{ $trigger.host }}?', approvers: ['alice'], timeout_seconds: 3600 }),
    // `$error` has no value before the step runs: the plan shows it as written, the run as empty.
    n('restart', 'action', { action_type: 'log', message: 'restarting {{ $trigger.service }}{{ $error.message }}' }), transform('note', '"left alone: " & $input.comment'), transform('escalate', '"nobody answered"')],
  [e('t', 'ask'), e('ask', 'restart', 'approved'), e('ask', 'note', 'rejected'), e('ask', 'escalate', 'timeout')],
  { settings: { timeout_seconds: 0 } },
);

describe.each(DIALECTS)('approval on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  it('waits durably, shows what approving will do, and an approval runs the approved path', async () => {
    const ex = await h.start(def, { service: 'nginx', host: 'web1' });
    expect(ex.status).toBe('waiting');
    const asking = (await h.result(ex.id)).node('ask');
    expect(asking.status).toBe('waiting');
    expect(asking.state).toMatchObject({ wait: 'signal', waiting: { kind: 'approval', message: 'Restart nginx on web1?', approvers: ['alice'], plan: ['log info: "restarting nginx{{ $error.message }}"'] } });
    h = await h.reopen(); // the wait survives a restart
    const decided = await h.app.engine.signal(ex.id, asking.id, 'approved', { decision: 'approved', by: 'alice', comment: 'go' });
    expect(decided.status).not.toBe('waiting');
    const r = await h.settle(ex.id);
    expect(r.execution.status).toBe('completed');
    expect(r.node('ask').output).toEqual({ decision: 'approved', by: 'alice', comment: 'go' });
    expect(r.node('restart').output).toMatchObject({ message: 'restarting nginx' });
    expect(r.node('note').status).toBe('skipped');
  });

  it('a rejection runs the rejected path; a second answer is refused with a conflict', async () => {
    const ex = await h.start(def, { service: 'nginx', host: 'web1' });
    const asking = (await h.result(ex.id)).node('ask');
    await h.app.engine.signal(ex.id, asking.id, 'rejected', { decision: 'rejected', by: 'alice', comment: 'not now' });
    const r = await h.settle(ex.id);
    expect(r.node('note').output).toBe('left alone: not now');
    expect(r.node('restart').status).toBe('skipped');
    await expect(h.app.engine.signal(ex.id, asking.id, 'approved', {})).rejects.toMatchObject({ code: 'conflict' });
  });

  it('nobody answering fires the timeout handle at the deadline', async () => {
    const ex = await h.start(def, { service: 'nginx', host: 'web1' });
    h.clock.advance(3_600_000);
    const r = await h.settle(ex.id);
    expect(r.node('ask').output).toMatchObject({ decision: 'timeout' });
    expect(r.node('escalate').output).toBe('nobody answered');
  });

  it('answers on a handle the node lacks, or to a run that is not waiting, are conflicts', async () => {
    const ex = await h.start(def, { service: 'x', host: 'y' });
    const asking = (await h.result(ex.id)).node('ask');
    await expect(h.app.engine.signal(ex.id, asking.id, 'maybe', {})).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.engine.signal(ex.id, 'nexec_nope', 'approved', {})).rejects.toMatchObject({ code: 'conflict' });
    await h.app.engine.cancel(ex.id);
  });
});
