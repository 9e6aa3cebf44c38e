import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness, type RunResult } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import type { WorkflowDefinition } from '../../src/model/types.js';

/**
 * Reproducers from an independent model of docs/WORKFLOWS.md run against the engine: two graph
 * shapes that hung, and rules where the engine and the docs disagreed. Each runs with input {a: 1}.
 */
describe.each(DIALECTS)('engine semantics on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  /** Runs to a final status, or fails the test naming what still runs (instead of waiting forever). */
  async function runToEnd(def: WorkflowDefinition): Promise<RunResult> {
    const started = await h.start(def, { a: 1 });
    const final = h.app.engine.waitForFinal(started.id).then(() => true);
    for (let i = 0; i < 500; i++) {
      if (await Promise.race([final, new Promise<false>((r) => setTimeout(() => r(false), 4))])) return h.result(started.id);
      h.clock.advance(1000);
    }
    const r = await h.result(started.id);
    throw new Error(`execution still ${r.execution.status}; open runs: ${r.runs.filter((x) => !['completed', 'failed', 'skipped', 'cancelled'].includes(x.status)).map((x) => `${x.scope}/${x.node_id}=${x.status}`).join(', ')}`);
  }

  it('a loop whose body ends in a disabled node finishes: the disabled node ends its iteration', async () => {
    //  t ──► L ─body─► d (disabled)
    //        └─done──► after
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('L', 'loop', { items: '[1, 2]' }), n('d', 'transform', { expression: '"never"' }, { disabled: true }), transform('after', '$input')],
      [e('t', 'L'), e('L', 'd', 'body'), e('L', 'after', 'done')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.node('d', 'L[1]').status).toBe('skipped');
    // The disabled node passed its input (the item) through: that is the iteration's result.
    expect(r.node('after').output).toEqual([1, 2]);
  });

  it('a loop with no body edge finishes every iteration at once, each item its own result', async () => {
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('L', 'loop', { items: '[1]' }), transform('after', '$input')],
      [e('t', 'L'), e('L', 'after', 'done')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.node('L').output).toEqual([1]);
    expect(r.node('after').output).toEqual([1]);
    const bare = await runToEnd(wf([n('t', 'trigger'), n('L', 'loop', { items: '[1]' })], [e('t', 'L')]));
    expect(bare.execution.status).toBe('completed');
    expect(bare.execution.output).toEqual({ L: [1] });
  });

  it("a disabled node's outgoing edge still fires only when its condition holds", async () => {
    //  t ──► d (disabled) ──[$input.a > 100]──► x
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('d', 'transform', { expression: '"x"' }, { disabled: true }), transform('x', '"ran"')],
      [e('t', 'd'), e('d', 'x', undefined, '$input.a > 100')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.node('d').status).toBe('skipped');
    expect(r.node('x').status).toBe('skipped');
    const taken = await runToEnd(wf(
      [n('t', 'trigger'), n('d', 'transform', { expression: '"x"' }, { disabled: true }), transform('x', '$input.a')],
      [e('t', 'd'), e('d', 'x', undefined, '$input.a = 1')],
    ));
    expect(taken.node('x').output).toBe(1);
  });

  it('a disabled loop runs no iteration and passes its input on done', async () => {
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('L', 'loop', { items: '[1, 2]' }, { disabled: true }), transform('b', '$item'), transform('after', '$input.a')],
      [e('t', 'L'), e('L', 'b', 'body'), e('L', 'after', 'done')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.runs.filter((x) => x.node_id === 'b')).toHaveLength(0);
    expect(r.node('after').output).toBe(1);
  });

  it('$error is bound only on error paths: a later node off the error path does not see it', async () => {
    //  t ──► f ($error("boom"))        (uncaught, error_strategy continue)
    //  t ──► w (delay 0) ──► y
    const r = await runToEnd(wf(
      [n('t', 'trigger'), transform('f', '$error("boom")'), n('w', 'delay', { seconds: 0 }), transform('y', '{"saw": $error.node_id, "kind": $type($error)}')],
      [e('t', 'f'), e('t', 'w'), e('w', 'y')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(r.node('f').status).toBe('failed');
    expect(r.node('f').error).toMatchObject({ message: expect.stringContaining('boom') });
    expect(r.node('y').output).toEqual({ kind: 'function' });
  });

  it("JSONata's $error() fails with its own message in every iteration, also after an earlier failure", async () => {
    //  t ──► L ─body─► b ($error("boom " & $string($item)))   error_strategy continue
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('L', 'loop', { items: '[1, 2]' }), transform('b', '$error("boom " & $string($item))')],
      [e('t', 'L'), e('L', 'b', 'body')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(r.node('b', 'L[0]').error?.message).toContain('boom 1');
    expect(r.node('b', 'L[1]').error?.message).toContain('boom 2');
    expect(r.node('b', 'L[1]').error?.message).not.toContain('T1006');
  });

  it('on an error path $error is that path\'s error, two nodes down, and $error() still fails on purpose there', async () => {
    //  t ──► f (transform_data: $error("first")) ─error─► h1 ──► h2 ($error.message)
    //                                                        └──► h3 ($error("second: " & $error.node_id))
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('f', 'action', { action_type: 'transform_data', expression: '$error("first")' }), transform('h1', '"caught"'), transform('h2', '$error.message'),
        transform('h3', '$error("second: " & $error.node_id)')],
      [e('t', 'f'), e('f', 'h1', 'error'), e('h1', 'h2'), e('h1', 'h3')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(r.node('h2').output).toContain('first');
    expect(r.node('h3').status).toBe('failed');
    expect(r.node('h3').error?.message).toContain('second: f');
  });

  it("the graph-level handler's path is in the execution output", async () => {
    //  t ──► f ($error("boom"))      eh (error_handler) ──► report
    const r = await runToEnd(wf(
      [n('t', 'trigger'), transform('f', '$error("boom")'), n('eh', 'error_handler'), transform('report', '"failed at " & $error.node_id')],
      [e('t', 'f'), e('eh', 'report')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.execution.output).toEqual({ report: 'failed at f' });
    const alone = await runToEnd(wf(
      [n('t', 'trigger'), transform('f', '$error("boom")'), n('eh', 'error_handler')],
      [e('t', 'f')],
      { settings: { error_strategy: 'continue' } },
    ));
    expect(alone.execution.output).toEqual({ eh: expect.objectContaining({ node_id: 'f', message: expect.stringContaining('boom') }) });
  });

  it('a graph-level handler that never ran leaves no node execution, nor do the nodes after it', async () => {
    const r = await runToEnd(wf(
      [n('t', 'trigger'), transform('ok', '1'), n('eh', 'error_handler'), transform('report', '1')],
      [e('t', 'ok'), e('eh', 'report')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(r.runs.map((x) => x.node_id).sort()).toEqual(['ok', 't']);
  });

  it('an edge condition that throws fails its source node', async () => {
    const r = await runToEnd(wf(
      [n('t', 'trigger'), transform('s', '1'), transform('x', '2')],
      [e('t', 's'), e('s', 'x', undefined, '$error("bad condition")')],
    ));
    expect(r.execution.status).toBe('failed');
    expect(r.node('s').status).toBe('failed');
    expect(r.node('s').error?.message).toContain('bad condition');
  });

  it('a condition node outputs {result, input}', async () => {
    const r = await runToEnd(wf(
      [n('t', 'trigger'), n('c', 'condition', { expression: '$input.a = 1' }), transform('y', '$input')],
      [e('t', 'c'), e('c', 'y', 'true')],
    ));
    expect(r.node('c').output).toEqual({ result: true, input: { a: 1 } });
    expect(r.node('y').output).toEqual({ result: true, input: { a: 1 } });
  });
});
