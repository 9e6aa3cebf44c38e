import { describe, expect, it } from 'vitest';
import { checkExpressions } from './check-expressions.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkExpressions', () => {
  it('accepts valid raw expressions, templates and conditions', () => {
    const def = definition(
      [
        node('c', 'condition', { expression: '$input.status = "down"' }),
        node('h', 'api_call', { method: 'GET', url: 'https://x/{{ $vars.host }}', headers: { A: '{{ $trigger.token }}' } }),
      ],
      [edge('c', 'h', 'true', { condition: '$input.ok' })],
    );
    expect(checkExpressions(def, testCatalog)).toEqual([]);
  });

  it('reports raw expression fields and edge conditions with the JSONata message and position', () => {
    const def = definition(
      [node('c', 'condition', { expression: '$count(' }), node('x', 'transform', { expression: '  ' })],
      [edge('c', 'x', 'true', { condition: '$input.a +' })],
    );
    expect(checkExpressions(def, testCatalog)).toEqual([
      {
        path: '/nodes/0/config/expression',
        code: 'expression_syntax',
        message: 'invalid expression: Expected ")" before end of expression at position 7',
        node_ids: ['c'],
        excerpt: { text: '$count(', position: 7 },
      },
      { path: '/nodes/1/config/expression', code: 'expression_syntax', message: 'expression is empty', node_ids: ['x'] },
      {
        path: '/edges/0/condition',
        code: 'expression_syntax',
        message: 'invalid expression: Unexpected end of expression at position 10',
        node_ids: ['c'],
        excerpt: { text: '$input.a +', position: 10 },
      },
    ]);
  });

  it('says what JSONata\'s "Syntax error: 2" means and points at the token', () => {
    const def = definition([node('c', 'condition', { expression: '$input.status >= 200 2' })]);
    expect(checkExpressions(def, testCatalog)).toEqual([{
      path: '/nodes/0/config/expression', code: 'expression_syntax', node_ids: ['c'],
      message: 'invalid expression: unexpected "2" (an operator or a closing bracket missing before it?) at position 21',
      excerpt: { text: '$input.status >= 200 2', position: 21 },
    }]);
  });

  it('finds templates anywhere in config, with positions counted in the field', () => {
    const def = definition([
      node('t', 'trigger'),
      node('h', 'api_call', {
        method: 'POST',
        url: 'https://x',
        headers: { 'X-Id': 'ok', Authorization: 'Bearer {{ $vars.token( }}' },
        body: { items: ['{{ }}', 'a {{ $x'] },
      }),
    ]);
    expect(checkExpressions(def, testCatalog)).toEqual([
      {
        path: '/nodes/1/config/headers/Authorization',
        code: 'expression_syntax',
        message: 'invalid expression in {{ $vars.token( }}: Expected ")" before end of expression at position 22',
        node_ids: ['h'],
        excerpt: { text: 'Bearer {{ $vars.token( }}', position: 22 },
      },
      { path: '/nodes/1/config/body/items/0', code: 'expression_syntax', message: 'empty {{ }} template at position 3', node_ids: ['h'] },
      {
        path: '/nodes/1/config/body/items/1',
        code: 'expression_syntax',
        message: 'unclosed {{ template at position 2: add }}',
        node_ids: ['h'],
      },
    ]);
  });

  it('does not read templates inside raw expression fields', () => {
    const def = definition([node('L', 'loop', { items: '$trigger.hosts', label_text: '{{ $item.name }}' })]);
    expect(checkExpressions(def, testCatalog)).toEqual([]);
  });
});
