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
});
