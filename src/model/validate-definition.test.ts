import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from './parse-definition.js';
import { validateDefinition } from './validate-definition.js';
import { testCatalog } from './validate/test-catalog.js';

//  start ─> check ─true─> page        (check: condition)
//                 ─false─> log
const valid = {
  id: 'wf_1',
  version: 2,
  status: 'active',
  name: 'Disk check',
  settings: { timeout_seconds: 600, error_strategy: 'continue' },
  variables: [{ name: 'channel', type: 'string', default: '#ops' }],
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'check', node_type: 'condition', label: 'Disk > 90%?', config: { expression: '$input.disk > 90' } },
    { id: 'page', node_type: 'action', config: { action_type: 'send_slack', channel: '{{ $vars.channel }}', message: 'disk' } },
    { id: 'log', node_type: 'transform', config: { expression: '$input' }, retry: { max_attempts: 3, backoff: 'fixed' } },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'check' },
    { id: 'hot', source_node_id: 'check', target_node_id: 'page', source_handle: 'true' },
    { source_node_id: 'check', target_node_id: 'log', source_handle: 'false', condition: null },
  ],
};

describe('validateDefinition', () => {
  it('returns the normalized definition of a valid document', () => {
    const result = validateDefinition(valid, testCatalog);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.problems).toEqual([]);
    expect(result.definition.edges.map((e) => e.id)).toEqual(['edge_0', 'hot', 'edge_2']);
    expect(result.definition.nodes.map((n) => n.label)).toEqual(['start', 'Disk > 90%?', 'page', 'log']);
    expect(result.definition).not.toHaveProperty('version');
  });

  it('returns schema problems first, then every graph problem, in one answer', () => {
    const doc = {
      ...valid,
      settings: { timeout_second: 600, error_strategy: 'panic' },
      nodes: [
        ...valid.nodes.slice(0, 3),
        { id: 'log', node_type: 'transform', config: { expression: '$input(' }, retry: { max_attempts: 0 } },
        { id: 'magic', node_type: 'wizard', config: {} },
      ],
      edges: [...valid.edges, { source_node_id: 'log', target_node_id: 'start' }, { source_node_id: 'start', target_node_id: 'gone' }],
    };
    const result = validateDefinition(doc, testCatalog);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path, p.node_ids])).toEqual([
      ['invalid_document', '/settings/timeout_second', undefined],
      ['invalid_document', '/settings/error_strategy', undefined],
      ['invalid_document', '/nodes/3/retry/max_attempts', undefined],
      ['unknown_node_type', '/nodes/4/node_type', ['magic']],
      ['missing_node', '/edges/4/target_node_id', ['start']],
      ['cycle', '/edges/0', ['start', 'check', 'log']],
      ['expression_syntax', '/nodes/3/config/expression', ['log']],
    ]);
    expect(result.problems[1]?.message).toBe('must be one of "stop", "continue"');
    expect(result.problems[2]?.message).toBe('expected integer to be greater or equal to 1');
  });

  it('stops after the schema when nodes or edges are not arrays', () => {
    const result = validateDefinition({ name: 'x', nodes: { a: 1 }, edges: [] }, testCatalog);
    expect(result).toEqual({
      ok: false,
      problems: [{ path: '/nodes', code: 'invalid_document', message: 'expected array' }],
    });
    expect(validateDefinition('nodes: []', testCatalog).problems).toEqual([
      { path: '', code: 'invalid_document', message: 'expected object' },
    ]);
  });

  it('still checks the usable part of a node whose fields are broken', () => {
    const doc = {
      name: 'x',
      nodes: [
        { id: 'a', node_type: 'trigger' },
        { id: 7, node_type: 'delay', config: { seconds: -1 } },
      ],
      edges: [{ source_node_id: 'a', target_node_id: 'a', colour: 'red' }],
    };
    const result = validateDefinition(doc, testCatalog);
    expect(result.problems.map((p) => [p.code, p.path, p.node_ids])).toEqual([
      ['invalid_document', '/nodes/1/id', undefined],
      ['invalid_document', '/edges/0/colour', undefined],
      ['cycle', '/edges/0', ['a']],
      ['invalid_config', '/nodes/1/config/seconds', undefined],
    ]);
  });

  it('validates a YAML file end to end', () => {
    const parsed = parseDefinitionText(
      [
        'name: Restart',
        'nodes:',
        '  - { id: t, node_type: trigger }',
        '  - { id: ok, node_type: approval }',
        'edges:',
        '  - { source_node_id: t, target_node_id: ok }',
      ].join('\n'),
      'restart.yaml',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(validateDefinition(parsed.value, testCatalog).problems).toEqual([
      {
        path: '/nodes/1/node_type',
        code: 'node_type_unavailable',
        message: 'node type "approval" is not available in this version',
        node_ids: ['ok'],
      },
    ]);
  });
});
