import { describe, expect, it } from 'vitest';
import { validationCatalog } from '../../app.js';
import { validateDefinition } from '../../model/validate-definition.js';

// PromQL and LogQL are code (docs/SECURITY.md finding 4): a template reading workflow data in `query`
// is refused at validation; the value goes in `query_params`, which is data.
function workflow(actionType: string, params: Record<string, unknown>) {
  return {
    name: 'query',
    nodes: [{ id: 'q', node_type: 'action', config: { action_type: actionType, params } }],
    edges: [],
  };
}

describe('monitoring queries are code', () => {
  it.each([
    ['prometheus_query', { base_url: 'http://prom:9090', query: 'up{instance="{{ $trigger.instance }}"}' }],
    ['loki_query', { base_url: 'http://loki:3100', query: '{host="{{ $trigger.host }}"} |= "error"' }],
  ])('%s: a template in query fails validation with template_in_code and the safe way', (actionType, params) => {
    const result = validateDefinition(workflow(actionType, params), validationCatalog());
    expect(result.ok).toBe(false);
    const problem = result.problems.find((p) => p.code === 'template_in_code');
    expect(problem).toMatchObject({ path: '/nodes/0/config/params/query' });
    expect(problem?.message).toMatch(/query_params/);
  });

  it.each([
    ['prometheus_query', { base_url: 'http://prom:9090', query: 'up{instance=$instance}', query_params: { instance: '{{ $trigger.instance }}' } }],
    ['loki_query', { base_url: 'http://loki:3100', query: '{host=$host} |= "error"', query_params: { host: '{{ $trigger.host }}' } }],
  ])('%s: the value in query_params passes', (actionType, params) => {
    expect(validateDefinition(workflow(actionType, params), validationCatalog())).toMatchObject({ ok: true });
  });
});
