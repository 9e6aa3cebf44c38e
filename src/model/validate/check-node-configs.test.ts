import { describe, expect, it } from 'vitest';
import { checkNodeConfigs } from './check-node-configs.js';
import { definition, node, testCatalog } from './test-catalog.js';

describe('checkNodeConfigs', () => {
  it('reports config errors at their path with readable messages', () => {
    const def = definition([
      node('t', 'trigger'),
      node('h', 'api_call', { method: 'PATCH', timeout_seconds: 0, headers: { A: 1 }, urll: 'x' }),
    ]);
    expect(checkNodeConfigs(def, testCatalog)).toEqual([
      { path: '/nodes/1/config/url', code: 'invalid_config', message: 'missing required property "url"', node_ids: ['h'] },
      {
        path: '/nodes/1/config/urll',
        code: 'invalid_config',
        message: 'unknown property "urll": did you mean "url"? (allowed: method, url, headers, timeout_seconds, body)',
        node_ids: ['h'],
      },
      { path: '/nodes/1/config/method', code: 'invalid_config', message: 'must be one of "GET", "POST"', node_ids: ['h'] },
      { path: '/nodes/1/config/headers/A', code: 'invalid_config', message: 'expected string', node_ids: ['h'] },
      {
        path: '/nodes/1/config/timeout_seconds',
        code: 'invalid_config',
        message: 'expected number to be greater or equal to 1',
        node_ids: ['h'],
      },
    ]);
  });

  it('lets a {{ }} template stand where the schema wants another type', () => {
    const def = definition([
      node('d', 'delay', { seconds: '{{ $vars.wait }}' }),
      node('h', 'api_call', { method: '{{ $vars.method }}', url: 'https://x', timeout_seconds: '{{ $vars.t }}' }),
    ]);
    expect(checkNodeConfigs(def, testCatalog)).toEqual([]);
  });

  it('still rejects a plain string where the schema wants a number', () => {
    const def = definition([node('d', 'delay', { seconds: 'ten' })]);
    expect(checkNodeConfigs(def, testCatalog)).toEqual([
      { path: '/nodes/0/config/seconds', code: 'invalid_config', message: 'expected number', node_ids: ['d'] },
    ]);
  });
});
