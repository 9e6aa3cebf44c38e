import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MODES, openHarness, type Harness } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';

describe.each(ENGINE_MODES)('flow semantics on $label', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  it('starts a manual run at the manual trigger; other triggers and orphans are skipped', async () => {
    //  manual ──► a        hook ──► b        lonely
    const r = await h.run(wf(
      [n('manual', 'trigger', { trigger_type: 'manual' }), n('hook', 'trigger', { trigger_type: 'webhook', auth: { mode: 'none' } }),
        transform('a', '$trigger.x + 1'), transform('b', '"never"'), transform('lonely', '"never"')],
      [e('manual', 'a'), e('hook', 'b')],
    ), { x: 41 });
    expect(r.execution.status).toBe('completed');
    expect(r.node('manual').output).toEqual({ x: 41 });
    expect(r.node('a').output).toBe(42);
    expect(r.node('hook').status).toBe('skipped');
    expect(r.node('b').status).toBe('skipped');
    expect(r.node('lonely').status).toBe('skipped');
    expect(r.execution.output).toEqual({ a: 42 });
  });

  it('without trigger nodes, starts at every node without incoming edges', async () => {
    //  a ──► c ◄── b
    const r = await h.run(wf([transform('a', '1'), transform('b', '2'), transform('c', '$input.a + $input.b')], [e('a', 'c'), e('b', 'c')]));
    expect(r.node('c').input).toEqual({ a: 1, b: 2 });
    expect(r.execution.output).toEqual({ c: 3 });
  });

  it('a workflow with only event triggers can be run by hand: every trigger fires', async () => {
    const r = await h.run(wf([n('hook', 'trigger', { trigger_type: 'webhook', auth: { mode: 'none' } }), transform('a', '$input.v')], [e('hook', 'a')]), { v: 'x' });
    expect(r.execution.output).toEqual({ a: 'x' });
  });

  it('condition: the untaken branch is skipped and dead paths propagate to its successors', async () => {
    //            ┌─true──► yes ──► yes2
    //  t ──► c ──┤
    //            └─false─► no  ──► no2
    const def = wf(
      [n('t', 'trigger'), n('c', 'condition', { expression: '$input.level = "critical"' }),
        transform('yes', '"page"'), transform('yes2', '$input & "!"'), transform('no', '"ticket"'), transform('no2', '$input')],
      [e('t', 'c'), e('c', 'yes', 'true'), e('yes', 'yes2'), e('c', 'no', 'false'), e('no', 'no2')],
    );
    const crit = await h.run(def, { level: 'critical' });
    expect(crit.node('yes2').output).toBe('page!');
    expect(crit.node('no').status).toBe('skipped');
    expect(crit.node('no2').status).toBe('skipped');
    expect(crit.execution.output).toEqual({ yes2: 'page!' });
    const low = await h.run(def, { level: 'low' });
    expect(low.node('yes').status).toBe('skipped');
    expect(low.node('no2').output).toBe('ticket');
  });

  it('a join after a condition runs once, with only the branch that fired', async () => {
    //          ┌─true──► a ─┐
    //  c ──────┤            ├──► join
    //          └─false─► b ─┘
    const r = await h.run(wf(
      [n('c', 'condition', { expression: 'true' }), transform('a', '"A"'), transform('b', '"B"'), transform('join', '$input')],
      [e('c', 'a', 'true'), e('c', 'b', 'false'), e('a', 'join'), e('b', 'join')],
    ));
    expect(r.attempts('join')).toHaveLength(1);
    expect(r.node('join').status).toBe('completed');
    expect(r.node('join').output).toEqual({ a: 'A' });
  });

  it('a join after a parallel waits for every branch, including one parked in a delay', async () => {
    //             ┌──► fast ────────────┐
    //  p ─────────┤                     ├──► join
    //             └──► slow(delay 30s) ─┘
    // The job queue waits in real time (the fake clock cannot hurry it): a shorter delay there.
    const seconds = dialect.dispatch === 'queue' ? 2 : 30;
    const r = await h.run(wf(
      [n('p', 'parallel'), transform('fast', '"f"'), n('slow', 'delay', { seconds }), transform('join', '$keys($input)')],
      [e('p', 'fast'), e('p', 'slow'), e('fast', 'join'), e('slow', 'join')],
    ), { v: 1 });
    expect(r.node('slow').output).toEqual({ v: 1 });
    expect(r.node('slow').finished_at! - r.node('slow').started_at!).toBeGreaterThanOrEqual(seconds * 1000);
    expect(r.node('join').output).toEqual(['fast', 'slow']);
  });

  it('edge conditions route like a switch; edges whose condition is false are dead', async () => {
    //          ┌─[$input.code >= 500]──► server
    //  t ──────┼─[$input.code >= 400 and $input.code < 500]──► client
    //          └─[$input.code < 400]──► ok
    const def = wf(
      [n('t', 'trigger'), transform('server', '"5xx"'), transform('client', '"4xx"'), transform('ok', '"fine"')],
      [e('t', 'server', 'out', '$input.code >= 500'), e('t', 'client', 'out', '$input.code >= 400 and $input.code < 500'), e('t', 'ok', 'out', '$input.code < 400')],
    );
    const r = await h.run(def, { code: 404 });
    expect(r.execution.output).toEqual({ client: '4xx' });
    expect(r.node('server').status).toBe('skipped');
    expect(r.node('ok').status).toBe('skipped');
  });

  it('a disabled node passes its input through and is recorded as skipped', async () => {
    const r = await h.run(wf([n('t', 'trigger'), n('off', 'transform', { expression: '"changed"' }, { disabled: true }), transform('after', '$input.v')], [e('t', 'off'), e('off', 'after')]), { v: 7 });
    expect(r.node('off').status).toBe('skipped');
    expect(r.node('after').output).toBe(7);
  });

  it('expressions see $trigger, $nodes, $vars and $execution; {{ }} templates resolve in config', async () => {
    const def = wf(
      [n('t', 'trigger'), transform('a', '{"sev": $trigger.severity}'),
        transform('b', '{"team": $vars.team, "sev": $nodes.a.sev, "exec": $execution.id, "v": $execution.version}'),
        n('log', 'action', { action_type: 'log', message: 'paging {{ $vars.team }} for {{ $nodes.a.sev }}' })],
      [e('t', 'a'), e('a', 'b'), e('b', 'log')],
      { variables: [{ name: 'team', type: 'string', default: 'sre' }] },
    );
    const r = await h.run(def, { severity: 'critical' });
    expect(r.node('b').output).toEqual({ team: 'sre', sev: 'critical', exec: r.execution.id, v: 1 });
    expect(r.node('log').output).toEqual({ message: 'paging sre for critical', level: 'info' });
    const logs = await h.app.store.engine.listLogs(r.execution.id);
    expect(logs.map((l) => l.message)).toContain('paging sre for critical');
  });
});
