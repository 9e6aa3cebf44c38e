import { describe, expect, it } from 'vitest';
import { builtinActions } from '../../src/actions/catalog.js';
import { planDryRun } from '../../src/nodes/dry-run-plan.js';
import { e, n, wf } from '../support/graphs.js';

describe('dry-run plan', () => {
  it('shows what a log step writes, with templates it cannot fill before the run ($error) as written', async () => {
    //  t ──► check (api_call) ─error─► report (log)
    const def = wf(
      [n('t', 'trigger'), n('check', 'api_call', { method: 'GET', url: 'https://{{ $vars.host }}/health' }),
        n('report', 'action', { action_type: 'log', level: 'error', message: '{{ $vars.host }} is down: {{ $error.message }}' })],
      [e('t', 'check'), e('check', 'report', 'error')],
      { variables: [{ name: 'host', type: 'string', default: 'web1.example.com' }] },
    );
    const plan = await planDryRun(def, builtinActions());
    expect(plan.steps.map((s) => `${s.node_id}: ${s.plan}`)).toEqual([
      'check: GET https://web1.example.com/health',
      'report: log error: "web1.example.com is down: {{ $error.message }}"',
    ]);
  });

  it("includes a run_workflow step's child plan, with the input it passes, and stops at the depth limit", async () => {
    const child = wf(
      [n('t', 'trigger'), n('page', 'action', { action_type: 'log', level: 'warn', message: 'paging for {{ $input.host }}' })],
      [e('t', 'page')], { name: 'pager' },
    );
    const parent = wf(
      [n('t', 'trigger'), n('sub', 'run_workflow', { workflow_id: 'pager', input: { host: '{{ $input.host }}' } })],
      [e('t', 'sub')],
    );
    const asked: Array<[string, unknown]> = [];
    const children = (ref: string, version: 'active' | number) => {
      asked.push([ref, version]);
      return Promise.resolve(ref === 'pager' ? child : undefined);
    };
    const plan = await planDryRun(parent, builtinActions(), { input: { host: 'db7' }, children });
    expect(plan.steps).toEqual([{
      node_id: 'sub', node_type: 'run_workflow', plan: 'run and wait for workflow pager (version active)',
      child: { workflow_id: 'pager', steps: [expect.objectContaining({ node_id: 'page', plan: 'log warn: "paging for db7"' })] },
    }]);
    expect(asked).toEqual([['pager', 'active']]);
    // A workflow that runs itself is planned only down to the limit.
    const self = wf([n('t', 'trigger'), n('again', 'run_workflow', { workflow_id: 'self' })], [e('t', 'again')], { name: 'self' });
    const deep = await planDryRun(self, builtinActions(), { children: () => Promise.resolve(self), maxDepth: 2 });
    expect(deep.steps[0]?.child?.steps[0]?.child?.steps[0]?.child).toBeUndefined();
    expect(deep.steps[0]?.child?.steps[0]?.child?.steps[0]?.node_id).toBe('again');
    const missing = await planDryRun(parent, builtinActions(), { children: () => Promise.resolve(undefined) });
    expect(missing.steps[0]?.plan).toContain('not found here');
  });
});
