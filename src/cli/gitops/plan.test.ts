import { describe, expect, it } from 'vitest';
import { canonical, changedPaths, definitionYaml } from './canonical-definition.js';
import { clearSecretPaths } from './clear-secrets.js';
import { comparable } from './plan.js';

describe('workflow files: canonical form and comparison', () => {
  it('sorts keys, drops nulls and the viewport, and keeps `__proto__` a plain key', () => {
    const yaml = definitionYaml({ nodes: [{ node_type: 'transform', id: 'a', retry: null }], name: 'x', viewport: { x: 1, y: 2, zoom: 1 }, edges: [] });
    expect(yaml).toBe('edges: []\nname: x\nnodes:\n  - id: a\n    node_type: transform\n');
    const c = canonical(JSON.parse('{"config":{"__proto__":{"polluted":true}}}')) as { config: Record<string, unknown> };
    expect(Object.keys(c.config)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores edge ids and empty header fields; names changed nodes by id', () => {
    const server = { name: 'x', description: '', tags: [], nodes: [{ id: 'a', config: { m: 1 } }, { id: 'b', config: {} }], edges: [{ id: 'edge_1', source_node_id: 'a', target_node_id: 'b' }] };
    const file = { name: 'x', nodes: [{ id: 'a', config: { m: 2 } }, { id: 'b', config: {} }], edges: [{ source_node_id: 'a', target_node_id: 'b' }] };
    expect(changedPaths(comparable(server), comparable(file))).toEqual(['/nodes/a/config/m']);
    expect(changedPaths(comparable(server), comparable({ ...file, nodes: server.nodes }))).toEqual([]);
  });

  it('finds secrets written in clear, and lets references through', () => {
    const def = {
      variables: [{ name: 'a', secret: true, default: 'hunter2' }, { name: 'b', secret: true, default: '$vault:sec_abc' }, { name: 'c', default: 'plain' }],
      nodes: [
        { node_type: 'trigger', config: { trigger_type: 'webhook', auth: { mode: 'hmac', secret: 'clear' } } },
        { node_type: 'trigger', config: { trigger_type: 'alert', routing_key: '$vault:sec_def' } },
      ],
    };
    expect(clearSecretPaths(def)).toEqual(['/variables/0/default', '/nodes/0/config/auth/secret']);
  });
});
