import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODES, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

describe.each(ENGINE_MODES)('loops on $label', (dialect) => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    // Answers after 20 ms so iterations overlap when concurrency allows it.
    server = await httpFixture((req, res) => setTimeout(() => json(res, 200, { path: req.url }), 20));
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('runs the body once per item in its own scope and fires done with every result in order', async () => {
    //  t ──► each ─body─► sq ──► label
    //          └──done──► total
    const r = await h.run(wf(
      [n('t', 'trigger'), n('each', 'loop', { items: '$trigger.hosts' }), transform('sq', '{"host": $item, "i": $index}'),
        transform('label', '$input.host & "#" & $string($input.i)'), transform('total', '$count($input)')],
      [e('t', 'each'), e('each', 'sq', 'body'), e('sq', 'label'), e('each', 'total', 'done')],
    ), { hosts: ['web1', 'web2', 'db1'] });
    expect(r.node('each').output).toEqual(['web1#0', 'web2#1', 'db1#2']);
    expect(r.node('sq', 'each[1]').output).toEqual({ host: 'web2', i: 1 });
    expect(r.node('total').output).toBe(3);
    expect(r.execution.output).toEqual({ total: 3 });
  });

  it('an empty item list fires done with [] and runs no body', async () => {
    const r = await h.run(wf([n('each', 'loop', { items: '[]' }), transform('b', '$item'), transform('after', '$input')],
      [e('each', 'b', 'body'), e('each', 'after', 'done')]));
    expect(r.node('after').output).toEqual([]);
    expect(r.runs.filter((x) => x.node_id === 'b')).toHaveLength(0);
  });

  it('concurrency bounds how many iterations run at once', async () => {
    const before = server.maxActive;
    expect(before).toBe(0);
    const r = await h.run(wf(
      [n('each', 'loop', { items: '[1..12]', concurrency: 3 }), n('call', 'api_call', { url: `${server.url}/item/{{ $item }}` })],
      [e('each', 'call', 'body')],
    ));
    expect(r.execution.status).toBe('completed');
    expect(server.maxActive).toBe(3);
    expect((r.node('each').output as Array<{ body: { path: string } }>).map((x) => x.body.path)).toEqual(
      Array.from({ length: 12 }, (_, i) => `/item/${i + 1}`),
    );
  });

  it('nested loops get nested scopes and see the innermost $item', async () => {
    //  outer ─body─► inner ─body─► cell
    const r = await h.run(wf(
      [n('outer', 'loop', { items: '["a","b"]' }), n('inner', 'loop', { items: '[1,2]', concurrency: 2 }), transform('cell', '$nodes.outer_item & $string($item)'),
        transform('outer_item', '$item')],
      [e('outer', 'outer_item', 'body'), e('outer_item', 'inner'), e('inner', 'cell', 'body')],
    ));
    expect(r.node('cell', 'outer[1]/inner[0]').output).toBe('b1');
    expect(r.node('outer').output).toEqual([['a1', 'a2'], ['b1', 'b2']]);
  });

  it('a body with two branches yields an object keyed by its last nodes', async () => {
    const r = await h.run(wf(
      [n('each', 'loop', { items: '[1,2]' }), n('p', 'parallel'), transform('x', '$item * 10'), transform('y', '$item * 100')],
      [e('each', 'p', 'body'), e('p', 'x'), e('p', 'y')],
    ));
    expect(r.node('each').output).toEqual([{ x: 10, y: 100 }, { x: 20, y: 200 }]);
  });
});
