import { describe, expect, it } from 'vitest';
import { checkActions } from './check-actions.js';
import { definition, node, testCatalog } from './test-catalog.js';

describe('checkActions', () => {
  it('accepts flat params (the seed form) and explicit params, templates included', () => {
    const def = definition([
      node('a', 'action', { action_type: 'send_slack', channel: '#ops', message: 'disk full' }),
      node('b', 'action', { action_type: 'send_slack', params: { channel: '#ops', message: 'm', retries: '{{ $vars.n }}' } }),
    ]);
    expect(checkActions(def, testCatalog)).toEqual([]);
  });

  it('reports an action missing from the catalog', () => {
    const def = definition([node('t', 'trigger'), node('a', 'action', { action_type: 'send_fax' })]);
    expect(checkActions(def, testCatalog)).toEqual([
      { path: '/nodes/1/config/action_type', code: 'unknown_action', message: 'unknown action "send_fax"', node_ids: ['a'] },
    ]);
  });

  it('checks flat params at /config/<key> and explicit params at /config/params/<key>', () => {
    const def = definition([
      node('a', 'action', { action_type: 'send_slack', channel: '#ops', message: 3 }),
      node('b', 'action', { action_type: 'send_slack', params: { channel: '#ops' } }),
    ]);
    expect(checkActions(def, testCatalog)).toEqual([
      { path: '/nodes/0/config/message', code: 'invalid_config', message: 'expected string', node_ids: ['a'] },
      { path: '/nodes/1/config/params/message', code: 'invalid_config', message: 'missing required property "message"', node_ids: ['b'] },
    ]);
  });
});
